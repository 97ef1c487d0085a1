package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.util.Locale;

/**
 * Where a replica is in its life. {@link #wireName()} is how the store, the REST API and the
 * node protocol spell it.
 */
public enum ReplicaState {
    /** No container yet (unplaced, or waiting to be created). */
    PENDING,
    /** Its container is being created. */
    CREATING,
    /** Its container exists but has not started yet. */
    STARTING,
    /** Its container runs. */
    RUNNING,
    /** Its container stopped and is started again (after a backoff). */
    RESTARTING,
    /** Its container ended and is not restarted. */
    EXITED,
    /** It could not be run. */
    FAILED,
    /** Its container is being stopped. */
    STOPPING,
    /** Its node cannot see its container: the node's container engine is unreachable. */
    UNKNOWN;

    /** @return e.g. {@code running} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a wire name
     * @return the state
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for an unknown word
     */
    public static ReplicaState parse(String text) {
        for (ReplicaState s : values()) {
            if (s.wireName().equals(text)) {
                return s;
            }
        }
        throw OrchestratorException.invalid("unknown replica state '" + text + "'");
    }
}
