package dev.orchestrator.api.spi;

/** A container's lifecycle state, as Docker names them. */
public enum ContainerState {
    /** Created, never started. */
    CREATED,
    /** Running. */
    RUNNING,
    /** Paused. */
    PAUSED,
    /** Being restarted by the runtime itself. */
    RESTARTING,
    /** Being removed. */
    REMOVING,
    /** Ended. */
    EXITED,
    /** Failed to stop or remove. */
    DEAD
}
