package dev.orchestrator.app;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.store.Revision;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.util.List;

/**
 * Returns a service to an earlier spec: deploys that revision's spec with the current replica
 * count, through {@link Deploy} (same checks, same rolling replacement), as a new revision
 * (numbers never go back). The event says which revision it came from.
 */
public final class Rollback {
    private final Store store;
    private final Deploy deploy;

    /**
     * @param store  the store
     * @param deploy the deploy use case it goes through
     */
    public Rollback(Store store, Deploy deploy) {
        this.store = store;
        this.deploy = deploy;
    }

    /**
     * @param service the service
     * @param to      the revision to return to, or null for the one before the current one
     */
    public record Command(String service, Long to) {
    }

    /**
     * @param command what to roll back
     * @return the deploy's result: the service at its new revision
     * @throws OrchestratorException {@code NOT_FOUND} for an unknown service or a revision not
     *         kept, {@code INVALID_ARGUMENT} for the current revision or a service with no
     *         earlier one, and what {@link Deploy} refuses
     */
    public Deploy.Result run(Command command) {
        String name = Names.service(command.service());
        ServiceRecord current = store.services().get(name).orElseThrow(() -> Names.noService(name));
        List<Revision> kept = store.services().revisions(name);
        Revision target;
        if (command.to() == null) {
            target = kept.stream().filter(r -> r.revision() < current.revision()).findFirst()
                    .orElseThrow(() -> OrchestratorException.invalid("service " + name + " has no earlier revision"
                            + " to roll back to (it is at revision " + current.revision() + ")"));
        } else {
            long to = command.to();
            if (to == current.revision()) {
                throw OrchestratorException.invalid("service " + name + " is at revision " + to + " already");
            }
            target = kept.stream().filter(r -> r.revision() == to).findFirst()
                    .orElseThrow(() -> new OrchestratorException(dev.orchestrator.api.ErrorCode.NOT_FOUND,
                            "service " + name + " has no revision " + to + " (kept: " + kept.stream()
                                    .map(r -> Long.toString(r.revision())).toList() + ")"));
        }
        ServiceSpec spec = target.spec().withReplicas(current.spec().replicas());
        return deploy.run(new Deploy.Command(spec), Deploy.ROLLED_BACK + target.revision());
    }
}
