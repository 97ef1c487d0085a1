package dev.orchestrator.app;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.time.Clock;

/** Changes a service's replica count; its spec and revision stay as deployed. */
public final class Scale {
    private final Store store;
    private final ClusterHooks hooks;
    private final Clock clock;

    /**
     * @param store the store
     * @param hooks the cluster side
     * @param clock the clock of events
     */
    public Scale(Store store, ClusterHooks hooks, Clock clock) {
        this.store = store;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * Scale a service.
     *
     * @param service  the service
     * @param replicas the new count, 0..{@value ServiceSpec#MAX_REPLICAS}; null is refused (it is required)
     */
    public record Command(String service, Integer replicas) {
    }

    /**
     * @param command what to scale
     * @return the service as stored, with its replicas
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}, with nothing changed
     */
    public ServiceState run(Command command) {
        String name = Names.service(command.service());
        if (command.replicas() == null) {
            throw OrchestratorException.invalid("replicas is required");
        }
        int n = (int) Validation.range("replicas", command.replicas(), 0, ServiceSpec.MAX_REPLICAS);
        ServiceRecord before = store.services().get(name).orElseThrow(() -> Names.noService(name));
        // The transaction checks again: the service may be removed meanwhile.
        boolean changed = store.inTransaction(tx -> {
            boolean ok = tx.services().setReplicas(name, n);
            if (ok) {
                tx.events().append(new Event(clock.instant(), "scale", name, null, "Service " + name + " scaled from "
                        + before.spec().replicas() + " to " + n + " replicas"));
            }
            return ok;
        });
        if (!changed) {
            throw Names.noService(name);
        }
        hooks.desiredStateChanged(name);
        ServiceRecord after = store.services().get(name).orElseThrow(() -> Names.noService(name));
        return new ServiceState(after, store.replicas().ofService(name));
    }
}
