package dev.orchestrator.cli;

import dev.orchestrator.api.Validation;
import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Waits, after {@code deploy}, {@code rollback} or {@code scale}, until a service's replicas all
 * run: polls {@code GET /api/services/{name}} every half second up to a timeout. After a deploy
 * or a rollback it follows the service's {@code deployment} too (see {@link DeploymentWatch}).
 */
final class Rollout {
    /** Time between two polls. */
    static final Duration POLL = Duration.ofMillis(500);
    /** Default of {@code --timeout}. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);
    /** The {@code --help} lines of {@code --detach} and {@code --timeout}. */
    static final String HELP = """
              --detach             return once the server accepted the request, without waiting
              --timeout DURATION   how long to wait for every replica to run (default 120s)
            """;
    /** The {@code --help} lines of {@code --wait}, {@code --detach} and {@code --timeout} of a rollout. */
    static final String DEPLOY_HELP = """
              --wait               follow the rollout (the default): print its progress, end once it
                                   succeeded and every replica runs, fail if it was rolled back or paused
              --detach             return once the server accepted the request, printing the revision
              --timeout DURATION   how long to wait for every replica to run (default 120s)
            """;

    private Rollout() {
    }

    /**
     * A service is settled when as many replicas run as are desired, the server is not
     * replacing any (status {@code converging}), and no replica that states its {@code revision}
     * is behind the service's (during a rolling update, old replicas still count as running).
     * Revisions count from 1: a revision of 0 is one an older server does not state.
     *
     * @param service a service as {@code GET /api/services/{name}} answers it
     * @return true if there is nothing left to wait for
     */
    static boolean settled(Views.Service service) {
        if (service.running() != service.replicas() || "converging".equals(service.status())) {
            return false;
        }
        return service.revision() == 0 || service.containers().stream()
                .allMatch(c -> c.revision() == 0 || c.revision() == service.revision());
    }

    /**
     * @param service a service
     * @return e.g. {@code 2/3}: running replicas over desired ones
     */
    static String running(Views.Service service) {
        return service.running() + "/" + service.replicas();
    }

    /**
     * Polls until the service is {@link #settled}, then prints {@code NAME: R/R running}; on
     * timeout prints the service's state and each replica's message, and throws.
     *
     * @param api     the client
     * @param name    the service
     * @param timeout how long to wait
     * @param out     where the result goes
     * @return 0
     * @throws ApiException on timeout, or if a request fails
     */
    static int await(ApiClient api, String name, Duration timeout, PrintStream out) {
        return await(api, name, 0, timeout, out);
    }

    /**
     * Like {@link #await(ApiClient, String, Duration, PrintStream)}, following the rollout of
     * {@code revision} as well: its progress is printed as it changes, and it must succeed.
     *
     * @param api      the client
     * @param name     the service
     * @param revision the revision just deployed, 0 to follow no rollout
     * @param timeout  how long to wait
     * @param out      where the result goes
     * @return 0
     * @throws ApiException on timeout, if the rollout was rolled back, paused or superseded, or if a
     *                      request fails
     */
    static int await(ApiClient api, String name, long revision, Duration timeout, PrintStream out) {
        long deadline = System.nanoTime() + timeout.toNanos();
        var pulls = new Pulls(api, name, java.time.Instant.now().minusSeconds(1));
        var watch = new DeploymentWatch(api, name, revision);
        while (true) {
            Views.Service service = api.get("/api/services/" + name, Views.Service.class).value();
            if (watch.finished(service, out)) {
                out.println(name + ": " + running(service) + " running");
                return 0;
            }
            pulls.print(out);
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                report(service, out);
                throw new ApiException(name + ": not every replica running after " + Validation.format(timeout)
                        + " (" + running(service) + " running); see 'orchestrator events --service " + name + "'");
            }
            sleep(Math.min(left, POLL.toNanos()));
        }
    }

    /** Prints where a service that did not settle stands, replica by replica. */
    static void report(Views.Service service, PrintStream out) {
        out.println(java.util.Objects.toString(service.name(), "") + ": " + running(service) + " running, "
                + service.healthy() + "/" + service.replicas() + " healthy, status "
                + ClientCommand.text(service.status()));
        if (service.containers().isEmpty()) {
            return;
        }
        var t = new Table("NAME", "STATUS", "HEALTH", "MESSAGE");
        for (Views.Container c : service.containers()) {
            t.row(ClientCommand.text(c.name()), ClientCommand.text(c.status()), ClientCommand.text(c.health()),
                    ClientCommand.text(c.message()));
        }
        t.print(out);
    }

    /** The image events of the service since the wait began (its pulls), each printed once. */
    private static final class Pulls {
        private final ApiClient api;
        private final String query;
        private long lastId;

        Pulls(ApiClient api, String service, java.time.Instant since) {
            this.api = api;
            this.query = "/api/events?type=image&limit=1000&service=" + service + "&since=" + since;
        }

        private boolean broken;

        void print(PrintStream out) {
            if (broken) {
                return;
            }
            try {
                for (Views.Event e : api.getList(query, Views.Event.class).value()) {
                    if (e.id() > lastId) {
                        lastId = e.id();
                        out.println(EventsCommand.line(e));
                    }
                }
            } catch (ApiException e) {
                broken = true; // the progress is a courtesy: the wait goes on without it
            }
        }
    }

    private static void sleep(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
    }
}
