package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.ContainerDetails;
import java.time.Instant;

/** One step of a {@link Plan}. The planner decides; the reconciler carries out. */
public sealed interface Action {
    /** @return the replica index concerned */
    int index();

    /**
     * Create and start a replica that has no container.
     *
     * @param index the replica index
     */
    record Start(int index) implements Action {
    }

    /**
     * Replace a replica whose container ended, or failed its health check: remove it, then
     * create and start a new one.
     *
     * @param index     the replica index
     * @param old       the ended (or unhealthy) container
     * @param unhealthy true if it still runs but failed its health check
     */
    record Restart(int index, ContainerDetails old, boolean unhealthy) implements Action {
    }

    /**
     * Replace a running replica of an older revision: start the new container first, stop the
     * old one once the new one runs, so the service never drops below its count.
     *
     * @param index the replica index
     * @param old   the running container of the older revision
     */
    record Replace(int index, ContainerDetails old) implements Action {
    }

    /**
     * Stop and remove a container that should not exist.
     *
     * @param index     the replica index it claims
     * @param container the container
     * @param reason    why, for events: {@code scaled down}, {@code duplicate}, {@code service removed}
     */
    record Remove(int index, ContainerDetails container, String reason) implements Action {
    }

    /**
     * A replica waiting out its restart backoff.
     *
     * @param index the replica index
     * @param until when it may be restarted
     * @param old   its ended container, or null if it has none
     */
    record Wait(int index, Instant until, ContainerDetails old) implements Action {
    }

    /**
     * A replica that is as it should be (running at the desired revision, or ended and not to
     * be restarted by its policy).
     *
     * @param index     the replica index
     * @param container its container
     */
    record Keep(int index, ContainerDetails container) implements Action {
    }
}
