package dev.orchestrator.app;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.scheduler.Request;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Deployment;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.StoreTx;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates a service, or updates an existing one. Refuses, before anything is stored, a probe
 * or strategy that is not installed, a malformed constraint, a published port that is taken
 * and an image that surely cannot run.
 */
public final class Deploy {
    /** How a rollback's event begins (see {@link Rollback}). */
    static final String ROLLED_BACK = "rolled back to revision ";
    private final Store store;
    private final ClusterHooks hooks;
    private final Clock clock;

    /**
     * @param store the store
     * @param hooks the cluster side
     * @param clock the clock of events
     */
    public Deploy(Store store, ClusterHooks hooks, Clock clock) {
        this.store = store;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * Deploy a spec (already valid as a record).
     *
     * @param spec the desired service
     */
    public record Command(ServiceSpec spec) {
        public Command {
            Objects.requireNonNull(spec, "spec");
        }
    }

    /**
     * What was deployed.
     *
     * @param state   the service as stored, with its replicas
     * @param created true for a new service, false for an update (changed or not)
     */
    public record Result(ServiceState state, boolean created) {
    }

    /**
     * @param command what to deploy
     * @return the service as stored
     * @throws OrchestratorException {@code INVALID_ARGUMENT}, {@code CONFLICT} (a published port)
     *                               or {@code UNSCHEDULABLE} (the image), with nothing changed
     */
    public Result run(Command command) {
        return run(command, null);
    }

    /**
     * @param command what to deploy
     * @param why     said in the event after "updated" (e.g. {@code rolled back to revision 3}), or null
     * @return the service as stored
     * @throws OrchestratorException as {@link #run(Command)}
     */
    Result run(Command command, String why) {
        ServiceSpec spec = command.spec();
        Optional<ServiceRecord> current = check(spec);
        ServiceRecord saved = store.inTransaction(tx -> {
            ServiceRecord r = tx.services().put(spec);
            current.filter(c -> c.revision() != r.revision())
                    .ifPresent(c -> startRollout(tx, c, r, why != null && why.startsWith(ROLLED_BACK)));
            String message = message(current, r);
            tx.events().append(new Event(clock.instant(), "deploy", spec.name(), null,
                    why == null ? message : message + ": " + why));
            return r;
        });
        hooks.desiredStateChanged(spec.name());
        return new Result(new ServiceState(saved, store.replicas().ofService(spec.name())), current.isEmpty());
    }

    /**
     * A new revision: its replicas are replaced batch by batch by the deployment controller
     * (docs/rollouts.md), which reads this row; until then every replica keeps the revision it runs.
     */
    private void startRollout(StoreTx tx, ServiceRecord before, ServiceRecord after, boolean rollback) {
        for (Assignment a : tx.assignments().all()) {
            if (a.service().equals(after.name()) && a.revision() == 0) {
                tx.assignments().put(a.withRevision(before.revision()));
            }
        }
        Instant now = clock.instant();
        tx.deployments().put(new Deployment(after.name(), after.revision(), before.revision(),
                Deployment.Status.RUNNING, rollback, "started", now, now));
    }

    /** Every check, cheapest first; the port and image checks need the current state. */
    private Optional<ServiceRecord> check(ServiceSpec spec) {
        if (spec.healthCheck() != null) {
            hooks.requireProbe(spec.healthCheck().type());
        }
        if (spec.strategy() != null) {
            hooks.requireStrategy(spec.strategy());
        }
        if (spec.loadBalancer() != null) {
            // Only a policy named by the user: the default is there wherever the server's is.
            hooks.requireBalancingPolicy(spec.loadBalancer());
        }
        Request.forReplica(spec, 0); // parses the constraints
        Optional<ServiceRecord> current = store.services().get(spec.name());
        PublishedPorts.check(spec, current, store.services().all(), hooks);
        // Other policies pull where the replicas land; a pull that fails is the replica's message.
        if ("never".equals(spec.effectivePullPolicy()) && !hooks.imageAvailable(spec.image())) {
            throw new OrchestratorException(ErrorCode.UNSCHEDULABLE, "image " + spec.image()
                    + " is not present on any ready node and pull_policy is never:"
                    + " load it first (docker load / docker pull), or deploy with pull_policy if-not-present");
        }
        return current;
    }

    private static String message(Optional<ServiceRecord> before, ServiceRecord after) {
        String what = after.spec().replicas() + " x " + after.spec().image() + ", revision " + after.revision();
        if (before.isEmpty()) {
            return "Service " + after.name() + " deployed (" + what + ")";
        }
        return before.get().revision() == after.revision() ? "Service " + after.name() + " unchanged (" + what + ")"
                : "Service " + after.name() + " updated (" + what + ")";
    }
}
