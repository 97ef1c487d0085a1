package dev.orchestrator.api.spi;

import java.time.Instant;
import java.util.Map;

/**
 * A container lifecycle event from the runtime's event stream.
 *
 * @param type        what happened
 * @param containerId the container's id (null for {@link Type#RESYNC})
 * @param labels      the container's labels at the time
 * @param exitCode    for {@link Type#DIE}: the exit code, else 0
 * @param time        when it happened
 */
public record RuntimeEvent(Type type, String containerId, Map<String, String> labels, int exitCode, Instant time) {
    /** Copies labels. */
    public RuntimeEvent {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Event types. */
    public enum Type {
        /** Created. */ CREATE,
        /** Started. */ START,
        /** Ended, with an exit code. */ DIE,
        /** Killed by the kernel's OOM killer (a DIE follows). */ OOM,
        /** Removed. */ DESTROY,
        /** The stream was interrupted: events may have been missed, resynchronise. */ RESYNC
    }
}
