package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.ContainerDetails;
import java.util.Objects;

/**
 * What came of carrying out one {@link Action} of a {@link Plan}: a value, so that one failing
 * replica never stops the reconciler from recording and publishing the others.
 */
public sealed interface ActionResult {
    /** @return the action that was tried */
    Action action();

    /** @return the replica index concerned */
    default int index() {
        return action().index();
    }

    /**
     * The action was carried out. A start that ended in a container which exits at once is
     * still done: the next pass sees the exit and restarts it with backoff.
     *
     * @param action  the action
     * @param started the container a start made, as inspected right after it started; null
     *                for other actions, or if it vanished at once
     */
    record Done(Action action, ContainerDetails started) implements ActionResult {
        /** Requires the action. */
        public Done {
            Objects.requireNonNull(action, "action");
        }

        /** @param action an action that made no container */
        public Done(Action action) {
            this(action, null);
        }
    }

    /**
     * The action failed; the replica is retried by a later pass.
     *
     * @param action the action
     * @param step   the step that failed: {@code start}, {@code stop}, {@code remove}, {@code update}
     * @param reason why, in the runtime's words
     */
    record Failed(Action action, String step, String reason) implements ActionResult {
        /** Requires every field. */
        public Failed {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(reason, "reason");
        }

        /** @return the replica's message, e.g. {@code start failed: image web:2 is not present ...} */
        public String message() {
            return step + " failed: " + reason;
        }
    }
}
