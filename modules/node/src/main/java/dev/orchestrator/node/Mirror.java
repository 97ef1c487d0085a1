package dev.orchestrator.node;

import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.SpecJson;
import dev.orchestrator.store.Store;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the node's local store a copy of its view of the desired state (the services it runs,
 * holds or routes, and its assignments), as the watch brings it. The local store is what the
 * node's reconciler reads, so the node goes on (and re-adopts its containers after its own
 * restart) while the control plane is away. Called from one thread at a time.
 */
final class Mirror {
    static final String CLUSTER_ID = "cluster_id";
    private final Store store;
    private int lastHash;

    Mirror(Store store) {
        this.store = store;
    }

    /** @return the cluster id this agent last heard, if it ever did */
    Optional<String> clusterId() {
        return store.settings().get(CLUSTER_ID);
    }

    /**
     * @param reply the node's view
     * @return the services whose desired state or assignments changed
     */
    synchronized Set<String> apply(Protocol.Desired reply) {
        int hash = Objects.hash(reply.clusterId(), reply.services(), reply.assignments());
        if (hash == lastHash) {
            return Set.of();
        }
        var changed = new HashSet<String>();
        store.runInTransaction(tx -> {
            if (!tx.settings().get(CLUSTER_ID).map(reply.clusterId()::equals).orElse(false)) {
                tx.settings().put(CLUSTER_ID, reply.clusterId());
            }
            var wanted = new HashSet<String>();
            for (Protocol.Service s : reply.services()) {
                wanted.add(s.name());
                var record = new ServiceRecord(SpecJson.decode(s.name(), s.specJson(), s.replicas()), s.revision(),
                        Instant.ofEpochMilli(s.createdAt()), Instant.ofEpochMilli(s.updatedAt()));
                if (!tx.services().get(s.name()).equals(Optional.of(record))) {
                    tx.services().mirror(record);
                    changed.add(s.name());
                }
            }
            for (ServiceRecord s : tx.services().all()) {
                if (!wanted.contains(s.name())) {
                    tx.services().delete(s.name());
                    changed.add(s.name());
                }
            }
            List<Assignment> before = tx.assignments().all();
            List<Assignment> after = reply.assignments().stream().map(a -> new Assignment(a.service(), a.index(),
                    a.node(), a.previousNode(), Instant.ofEpochMilli(a.assignedAt()))).toList();
            if (!before.equals(after)) {
                changed.addAll(servicesDiffering(before, after));
                tx.assignments().deleteAll();
                after.forEach(tx.assignments()::put);
            }
        });
        lastHash = hash;
        return changed;
    }

    /** The services whose assignments differ between the two lists. */
    private static Set<String> servicesDiffering(List<Assignment> before, List<Assignment> after) {
        Map<String, Set<Assignment>> b = new HashMap<>();
        Map<String, Set<Assignment>> a = new HashMap<>();
        before.forEach(x -> b.computeIfAbsent(x.service(), k -> new HashSet<>()).add(x));
        after.forEach(x -> a.computeIfAbsent(x.service(), k -> new HashSet<>()).add(x));
        var out = new HashSet<String>();
        b.keySet().forEach(k -> {
            if (!b.get(k).equals(a.get(k))) {
                out.add(k);
            }
        });
        a.keySet().forEach(k -> {
            if (!a.get(k).equals(b.get(k))) {
                out.add(k);
            }
        });
        return out;
    }
}
