package dev.orchestrator.node;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.SpecJson;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.StoreTx;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the node's local store a copy of its view of the desired state (the services it runs,
 * holds or routes, and its assignments), as the watch brings it. The local store is what the
 * node's reconciler reads, so the node goes on (and re-adopts its containers after its own
 * restart) while the control plane is away. Called from one thread at a time.
 *
 * <p>The first view is compared with the store; later ones with the previous view, held in
 * memory, so a view that changes one service writes only that service's rows, whatever the
 * number of services the node holds: a deploy reaches the reconciler without a pass over
 * every stored spec.
 */
final class Mirror {
    static final String CLUSTER_ID = "cluster_id";
    private final Store store;
    /** The last view applied, by service; null until the first one (then the store is read). */
    private Map<String, Protocol.Service> services;
    private Map<String, Set<Protocol.Assign>> assigns;
    private String clusterId;

    Mirror(Store store) {
        this.store = store;
    }

    /** @return the cluster id this agent last heard, if it ever did */
    Optional<String> clusterId() {
        return store.settings().get(CLUSTER_ID);
    }

    /**
     * @param view the node's view
     * @return the services whose desired state or assignments changed
     */
    synchronized Set<String> apply(Protocol.Desired view) {
        Map<String, Protocol.Service> nextServices = new HashMap<>();
        view.services().forEach(s -> nextServices.put(s.name(), s));
        Map<String, Set<Protocol.Assign>> nextAssigns = new HashMap<>();
        view.assignments().forEach(a -> nextAssigns.computeIfAbsent(a.service(), k -> new HashSet<>()).add(a));
        if (services != null && view.clusterId().equals(clusterId) && nextServices.equals(services)
                && nextAssigns.equals(assigns)) {
            return Set.of();
        }
        var changed = new HashSet<String>();
        boolean reload = services == null || !view.clusterId().equals(clusterId);
        store.runInTransaction(tx -> {
            if (reload) {
                fromStore(tx);
                if (!tx.settings().get(CLUSTER_ID).map(view.clusterId()::equals).orElse(false)) {
                    tx.settings().put(CLUSTER_ID, view.clusterId());
                }
            }
            changed.addAll(writeServices(tx, nextServices));
            changed.addAll(writeAssignments(tx, nextAssigns));
        });
        services = nextServices;
        assigns = nextAssigns;
        clusterId = view.clusterId();
        return changed;
    }

    /** What the store holds, as a view would carry it: the base of the first comparison. */
    // synchronized: called inside apply's transaction lambda, on apply's thread (the lock is reentrant)
    private synchronized void fromStore(StoreTx tx) {
        services = new HashMap<>();
        for (ServiceRecord r : tx.services().all()) {
            // Earlier revisions are not compared: a view that carries some writes them again.
            services.put(r.name(), new Protocol.Service(r.name(), SpecJson.encode(r.spec()), r.spec().replicas(),
                    r.revision(), r.createdAt().toEpochMilli(), r.updatedAt().toEpochMilli(), List.of()));
        }
        assigns = new HashMap<>();
        for (Assignment a : tx.assignments().all()) {
            assigns.computeIfAbsent(a.service(), k -> new HashSet<>()).add(new Protocol.Assign(a.service(),
                    a.index(), a.node(), a.previousNode(), a.assignedAt().toEpochMilli(), a.revision()));
        }
    }

    private synchronized Set<String> writeServices(StoreTx tx, Map<String, Protocol.Service> next) {
        var changed = new HashSet<String>();
        next.forEach((name, s) -> {
            if (!s.equals(services.get(name))) {
                ServiceSpec spec = SpecJson.decode(name, s.specJson(), s.replicas());
                tx.services().mirror(new ServiceRecord(spec, s.revision(), Instant.ofEpochMilli(s.createdAt()),
                        Instant.ofEpochMilli(s.updatedAt())));
                // The current one too: once the rollout ends it is what older replicas are compared to.
                tx.services().mirrorRevision(name, s.revision(), spec);
                s.previous().forEach(r -> tx.services().mirrorRevision(name, r.revision(),
                        SpecJson.decode(name, r.specJson(), s.replicas())));
                changed.add(name);
            }
        });
        for (String name : services.keySet()) {
            if (!next.containsKey(name)) {
                tx.services().delete(name);
                changed.add(name);
            }
        }
        return changed;
    }

    private synchronized Set<String> writeAssignments(StoreTx tx, Map<String, Set<Protocol.Assign>> next) {
        var names = new HashSet<>(next.keySet());
        names.addAll(assigns.keySet());
        var changed = new HashSet<String>();
        for (String name : names) {
            Set<Protocol.Assign> before = assigns.getOrDefault(name, Set.of());
            Set<Protocol.Assign> after = next.getOrDefault(name, Set.of());
            if (before.equals(after)) {
                continue;
            }
            changed.add(name);
            Set<Integer> kept = new HashSet<>();
            after.forEach(a -> kept.add(a.index()));
            before.stream().filter(a -> !kept.contains(a.index())).forEach(a -> tx.assignments().delete(name, a.index()));
            after.stream().filter(a -> !before.contains(a)).forEach(a -> tx.assignments().put(new Assignment(
                    a.service(), a.index(), a.node(), a.previousNode(), Instant.ofEpochMilli(a.assignedAt()),
                    a.revision())));
        }
        return changed;
    }
}
