package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A service's latest rollout, as the server's deployment controller drives it.
 *
 * @param service      the service
 * @param revision     the revision it rolls out
 * @param fromRevision the revision before it (what a rollback returns to), 0 if none
 * @param status       where it is
 * @param rollback     true if it is itself a rollback (a failing rollback pauses, it does not
 *                     roll back again)
 * @param message      what happened last, e.g. {@code 2/3 updated, 2 healthy}
 * @param startedAt    when it began
 * @param updatedAt    when it last changed
 */
public record Deployment(String service, long revision, long fromRevision, Status status, boolean rollback,
                         String message, Instant startedAt, Instant updatedAt) {
    /** Validates every field; a null message becomes empty. */
    public Deployment {
        Validation.dnsLabel("deployment.service", service);
        Checks.positive("deployment.revision", revision);
        Checks.nonNegative("deployment.from_revision", fromRevision);
        Objects.requireNonNull(status, "status");
        message = Objects.requireNonNullElse(message, "");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Where a rollout is. {@link #wireName()} is how the store and the API spell it. */
    public enum Status {
        /** Replacing replicas batch by batch. */
        RUNNING,
        /** Stopped after failures (failure_action pause): nothing more is replaced until the next deploy. */
        PAUSED,
        /** Every replica runs the revision and stayed healthy through the monitor period. */
        SUCCEEDED,
        /** Failed and rolled back: a rollback deployment took over. */
        ROLLED_BACK,
        /** A newer deploy replaced it before it ended. */
        SUPERSEDED;

        /** @return e.g. {@code rolled_back} */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @return true once nothing more happens to it */
        public boolean ended() {
            return this != RUNNING;
        }

        /**
         * @param text a wire name
         * @return the status
         * @throws OrchestratorException {@code INVALID_ARGUMENT} for an unknown word
         */
        public static Status parse(String text) {
            for (Status s : values()) {
                if (s.wireName().equals(text)) {
                    return s;
                }
            }
            throw OrchestratorException.invalid("unknown deployment status '" + text + "'");
        }
    }

    /**
     * @param to      the new status
     * @param why     the new message
     * @param at      now
     * @return a copy in that status
     */
    public Deployment with(Status to, String why, Instant at) {
        return new Deployment(service, revision, fromRevision, to, rollback, why, startedAt, at);
    }
}
