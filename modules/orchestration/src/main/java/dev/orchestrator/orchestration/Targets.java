package dev.orchestrator.orchestration;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.util.HashMap;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Per replica index, the revision a node's replica should run and its spec: the service's
 * current one, or, while the deployment controller's rollout has not reached that replica, the
 * one it runs (from the node's mirror of the revision history). Read once per pass, before any
 * action runs, so the actions' threads only read an array.
 */
final class Targets {
    private Targets() {
    }

    /**
     * @param store    the node's store
     * @param desired  the service, or empty if it was deleted
     * @param assigned what the node runs
     * @return the record per index; the current one for any index beyond the replica count, and
     *         for a revision whose spec the node does not have (it then runs the current one)
     */
    static IntFunction<ServiceRecord> of(Store store, Optional<ServiceRecord> desired, Assigned assigned) {
        if (desired.isEmpty()) {
            return i -> {
                throw new IllegalStateException("no targets for a deleted service");
            };
        }
        ServiceRecord d = desired.get();
        int replicas = d.spec().replicas();
        var records = new ServiceRecord[replicas];
        var byRevision = new HashMap<Long, ServiceRecord>();
        byRevision.put(d.revision(), d);
        for (int i = 0; i < replicas; i++) {
            long r = assigned.revision(i, d.revision());
            records[i] = byRevision.computeIfAbsent(r, rev -> store.services().revision(d.name(), rev)
                    .map(spec -> at(d, spec, rev)).orElse(d));
        }
        return i -> i >= 0 && i < replicas ? records[i] : d;
    }

    private static ServiceRecord at(ServiceRecord current, ServiceSpec spec, long revision) {
        return new ServiceRecord(spec.withReplicas(current.spec().replicas()), revision, current.createdAt(),
                current.updatedAt());
    }
}
