package dev.orchestrator.cluster;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.scheduler.NodeState;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.scheduler.Placement;
import dev.orchestrator.scheduler.Request;
import dev.orchestrator.scheduler.Scheduler;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.StoreTx;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides where every replica runs: keeps the assignments in step with the services and the
 * nodes. One pass, in one store transaction:
 *
 * <ol>
 *   <li>assignments beyond a service's replica count go;</li>
 *   <li>a move off a draining node ends once the replacement runs (and is healthy, with a health
 *       check) at the desired revision, or when the old node is gone;</li>
 *   <li>replicas on a node that is down or unknown lose their assignment, and are placed anew;
 *       those of a service with {@code stop_after_disconnect} only once the node has had time to
 *       stop them itself ({@link FenceWait}): until then they wait, their rows saying so;</li>
 *   <li>replicas on a draining node get a replacement elsewhere, the old node holding theirs;</li>
 *   <li>every replica without an assignment is placed with the service's strategy; one that
 *       cannot be placed stays pending with the scheduler's reason in its row and an event.</li>
 * </ol>
 *
 * <p>Passes are serialized (one at a time); a pass only reads and writes the store and never
 * blocks on a node. Idempotent: a pass over converged state changes nothing.
 */
public final class Assigner {
    private static final String TYPE = "schedule";

    private final Store store;
    private final Function<String, Scheduler> schedulers;
    private final String defaultStrategy;
    private final EventSink events;
    private final Clock clock;
    private final double cpuOvercommit;
    private final NetworkAllotment networks;
    /** How long a node has not been heard, on the failure detector's clock. */
    private final java.util.function.Function<String, java.time.Duration> silence;
    /** Whether the last pass left a replica waiting for its down node to stop it. */
    private volatile boolean waiting;
    /**
     * The silence of an assigner without a failure detector: it cannot time a wait, so replicas
     * of a down node are placed elsewhere at once, fenced services too.
     */
    public static final java.util.function.Function<String, java.time.Duration> UNTIMED =
            node -> java.time.Duration.ofDays(365);
    /** Per replica that cannot leave a draining node: the last reason reported. */
    private final Map<String, String> stuck = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param store           the state
     * @param schedulers      a scheduler per strategy name (throws for an unknown one)
     * @param defaultStrategy the strategy of services that name none
     * @param events          where events go
     * @param clock           the clock
     */
    public Assigner(Store store, Function<String, Scheduler> schedulers, String defaultStrategy, EventSink events,
                    Clock clock) {
        this(store, schedulers, defaultStrategy, events, clock, 1.0);
    }

    /**
     * @param store           the state
     * @param schedulers      a scheduler per strategy name (throws for an unknown one)
     * @param defaultStrategy the strategy of services that name none
     * @param events          where events go
     * @param clock           the clock
     * @param cpuOvercommit   how many CPU shares a node offers per share of its CPUs: shares are
     *                        Docker's relative weights, not partitions, so they may add up to
     *                        more than the CPUs (1.0: no overcommit)
     */
    public Assigner(Store store, Function<String, Scheduler> schedulers, String defaultStrategy, EventSink events,
                    Clock clock, double cpuOvercommit) {
        this(store, schedulers, defaultStrategy, events, clock, cpuOvercommit, NetworkAllotment.DEFAULT);
    }

    /**
     * @param store           the state
     * @param schedulers      a scheduler per strategy name (throws for an unknown one)
     * @param defaultStrategy the strategy of services that name none
     * @param events          where events go
     * @param clock           the clock
     * @param cpuOvercommit   CPU shares offered per share of a node's CPUs
     * @param networks        where services' addresses and networks' subnets come from
     */
    public Assigner(Store store, Function<String, Scheduler> schedulers, String defaultStrategy, EventSink events,
                    Clock clock, double cpuOvercommit, NetworkAllotment networks) {
        this(store, schedulers, defaultStrategy, events, clock, cpuOvercommit, networks, UNTIMED);
    }

    /**
     * @param store           the state
     * @param schedulers      a scheduler per strategy name (throws for an unknown one)
     * @param defaultStrategy the strategy of services that name none
     * @param events          where events go
     * @param clock           the clock
     * @param cpuOvercommit   CPU shares offered per share of a node's CPUs
     * @param networks        where services' addresses and networks' subnets come from
     * @param silence         per node, how long the failure detector has not heard it
     *                        ({@link NodeRegistry#silence}); fenced services wait on it
     */
    public Assigner(Store store, Function<String, Scheduler> schedulers, String defaultStrategy, EventSink events,
                    Clock clock, double cpuOvercommit, NetworkAllotment networks,
                    Function<String, java.time.Duration> silence) {
        this.silence = silence;
        this.networks = networks;
        if (!(cpuOvercommit >= 1.0)) {
            throw new IllegalArgumentException("cpuOvercommit must be at least 1, got " + cpuOvercommit);
        }
        this.cpuOvercommit = cpuOvercommit;
        this.store = store;
        this.schedulers = schedulers;
        this.defaultStrategy = defaultStrategy;
        this.events = events;
        this.clock = clock;
    }

    /**
     * Runs one pass.
     *
     * @return the nodes whose assignments changed (they have something to do)
     */
    public synchronized Set<String> assign() {
        var pending = new ArrayList<String[]>();
        Set<String> changed = store.inTransaction(tx -> pass(tx, pending));
        pending.forEach(e -> events.emit(TYPE, e[0], e[1], e[2]));
        return changed;
    }

    private Set<String> pass(StoreTx tx, List<String[]> out) {
        var pass = new Pass(tx, out, clock.instant());
        pass.services.values().forEach(pass::release);
        pass.buildNodes();
        pass.services.values().forEach(pass::place);
        var all = new ArrayList<dev.orchestrator.store.Assignment>();
        pass.assignments.values().forEach(m -> all.addAll(m.values()));
        pass.changed.addAll(networks.allot(tx, List.copyOf(pass.services.values()), all, pass.nodes));
        // A replica no longer stuck (moved, drain ended, service gone) is said again next time.
        stuck.keySet().retainAll(pass.stillStuck);
        waiting = pass.waiting;
        return pass.changed;
    }

    /**
     * @return true if the last pass left a replica waiting for its down node to stop it: the
     *         caller runs passes often meanwhile, so the wait ends on time and its row counts down
     */
    public boolean waiting() {
        return waiting;
    }

    /** The working state of one pass. */
    private final class Pass {
        private final StoreTx tx;
        private final List<String[]> events;
        private final Instant now;
        private final Map<String, ServiceRecord> services = new LinkedHashMap<>();
        private final Map<String, NodeRecord> nodes = new LinkedHashMap<>();
        private final Map<String, Map<Integer, Assignment>> assignments = new HashMap<>();
        private final Map<String, NodeState> states = new LinkedHashMap<>();
        private final Set<String> changed = new HashSet<>();
        private final Set<String> stillStuck = new HashSet<>();
        private boolean waiting;
        private final Map<String, Map<Integer, ReplicaRecord>> rows = new HashMap<>();
        /** Strategies found missing in this pass, with the reason: looked up once per pass. */
        private final Map<String, String> missingStrategies = new HashMap<>();

        Pass(StoreTx tx, List<String[]> events, Instant now) {
            this.tx = tx;
            this.events = events;
            this.now = now;
            tx.services().all().forEach(s -> services.put(s.name(), s));
            tx.nodes().all().forEach(n -> nodes.put(n.name(), n));
            tx.assignments().all().forEach(a -> assignments.computeIfAbsent(a.service(), k -> new HashMap<>())
                    .put(a.index(), a));
            // One read of every row, not one per service: a pass is O(replicas), whatever the count of services.
            tx.replicas().all().forEach(r -> rows.computeIfAbsent(r.service(), k -> new HashMap<>()).put(r.index(), r));
        }

        /** Steps 1 to 3: drop what must go, settle finished moves. */
        void release(ServiceRecord s) {
            Map<Integer, Assignment> mine = assignments.getOrDefault(s.name(), new HashMap<>());
            // Rows beyond the count, placed or not (a pending one has no assignment).
            Map<Integer, ReplicaRecord> own = rows.getOrDefault(s.name(), Map.of());
            List.copyOf(own.keySet()).stream().filter(i -> i >= s.spec().replicas()).forEach(i -> {
                tx.replicas().delete(s.name(), i);
                own.remove(i);
            });
            for (Assignment a : List.copyOf(mine.values())) {
                if (a.index() >= s.spec().replicas()) {
                    drop(mine, a);
                    continue;
                }
                if (a.previousNode() != null && moveOver(s, a)) {
                    put(mine, a.settled());
                    changed.add(a.previousNode());
                    a = a.settled();
                }
                if (!ready(a.node()) && waitsForFence(s, a)) {
                    continue;
                }
                if (!ready(a.node())) {
                    drop(mine, a);
                    if (a.previousNode() != null && ready(a.previousNode())) {
                        // The replacement's node died mid-move: the old node still runs it.
                        put(mine, new Assignment(a.service(), a.index(), a.previousNode(), null, now, a.revision()));
                        continue;
                    }
                    note(s.name(), a.index(), "Rescheduling " + replica(a) + ": node " + a.node() + " is "
                            + (nodes.containsKey(a.node()) ? "down" : "gone"));
                }
            }
            assignments.put(s.name(), mine);
        }

        /**
         * A replica of a fenced service on a node that is down stays assigned there until the
         * node has had time to stop it ({@link FenceWait}); its row says so.
         *
         * @return true while it waits
         */
        private boolean waitsForFence(ServiceRecord s, Assignment a) {
            if (!nodes.containsKey(a.node())) {
                return false; // removed by the operator: nothing is left to wait for
            }
            Optional<java.time.Duration> left = FenceWait.remaining(s.spec(), silence.apply(a.node()));
            if (left.isEmpty()) {
                return false;
            }
            waiting = true;
            String message = FenceWait.message(a.node(), left.get());
            Optional<ReplicaRecord> prev = row(s.name(), a.index());
            if (prev.map(r -> !r.message().startsWith("waiting ")).orElse(true)) {
                note(s.name(), a.index(), "Waiting " + FenceWait.seconds(left.get()) + "s for " + a.node()
                        + " to stop " + replica(a) + " before placing it elsewhere (stop_after_disconnect)");
            }
            if (prev.map(r -> !r.message().equals(message)).orElse(true)) {
                ReplicaRecord r = prev.orElse(null);
                tx.replicas().put(new ReplicaRecord(s.name(), a.index(), a.node(), r == null ? null : r.containerId(),
                        r == null ? null : r.containerName(), r == null ? s.revision() : r.revision(),
                        ReplicaState.UNKNOWN, Health.UNKNOWN, r == null ? 0 : r.restartCount(), null,
                        r == null ? 0 : r.hostPort(), message, now));
            }
            return true;
        }

        /** A row as the pass read it at its start (rows it deleted are gone). */
        private Optional<ReplicaRecord> row(String service, int index) {
            return Optional.ofNullable(rows.getOrDefault(service, Map.of()).get(index));
        }

        private boolean moveOver(ServiceRecord s, Assignment a) {
            if (!ready(a.previousNode())) {
                return true;
            }
            Optional<ReplicaRecord> row = row(s.name(), a.index());
            return row.filter(r -> a.accepts(r) && r.serving() && r.revision() == a.target(s.revision())).isPresent();
        }

        void buildNodes() {
            for (NodeRecord n : nodes.values()) {
                states.put(n.name(), new NodeState(n.name(), n.labels(),
                        n.status(), n.availability() != Availability.ACTIVE, (long) (n.cpus() * 1024L * cpuOvercommit),
                        n.memoryBytes(), 0, 0, Map.of()));
            }
            assignments.values().forEach(m -> m.values().forEach(a -> {
                Request r = request(services.get(a.service()), a.index());
                charge(a.node(), r);
                if (a.previousNode() != null) {
                    charge(a.previousNode(), r);
                }
            }));
        }

        private void charge(String node, Request r) {
            NodeState st = states.get(node);
            if (st != null && r != null) {
                states.put(node, st.withPlaced(r));
            }
        }

        /** Steps 4 and 5. */
        void place(ServiceRecord s) {
            Map<Integer, Assignment> mine = assignments.get(s.name());
            for (int i = 0; i < s.spec().replicas(); i++) {
                Assignment a = mine.get(i);
                if (a == null) {
                    placeNew(s, mine, i);
                } else if (a.previousNode() == null && nodes.get(a.node()).availability() == Availability.DRAINING) {
                    moveOff(s, mine, a);
                }
            }
        }

        private void placeNew(ServiceRecord s, Map<Integer, Assignment> mine, int i) {
            Optional<ReplicaRecord> row = row(s.name(), i);
            // A container some node already runs for it is adopted: no restart after an upgrade.
            Optional<String> adopt = row.filter(r -> r.containerId() != null && r.node() != null)
                    .map(ReplicaRecord::node).filter(n -> nodes.containsKey(n) && nodes.get(n).schedulable());
            Optional<Scheduler> scheduler = adopt.isPresent() ? Optional.empty() : scheduler(s);
            if (adopt.isEmpty() && scheduler.isEmpty()) {
                String why = missing(s);
                if (row.map(r -> !why.equals(r.message()) || r.node() != null).orElse(true)) {
                    note(s.name(), i, "Cannot place " + s.name() + "-" + i + ": " + why);
                }
                pendingRow(s, i, null, why, row);
                return;
            }
            Placement p = adopt.<Placement>map(n -> new Placement.Placed(n, 0))
                    .orElseGet(() -> scheduler.orElseThrow().place(List.copyOf(states.values()), request(s, i)));
            switch (p) {
                case Placement.Placed placed -> {
                    // A new replica runs the current revision; an adopted one what it runs (a
                    // rollout under way replaces it in its turn).
                    long revision = adopt.isPresent() ? row.map(ReplicaRecord::revision).orElse(s.revision())
                            : s.revision();
                    put(mine, new Assignment(s.name(), i, placed.node(), null, now, revision));
                    charge(placed.node(), request(s, i));
                    if (adopt.isEmpty()) { // an adopted replica's row already says how it is
                        pendingRow(s, i, placed.node(), "scheduled on " + placed.node(), row);
                    }
                }
                case Placement.Unschedulable u -> {
                    String why = u.message();
                    if (row.map(r -> !why.equals(r.message()) || r.node() != null).orElse(true)) {
                        note(s.name(), i, "Cannot place " + s.name() + "-" + i + ": " + why);
                    }
                    pendingRow(s, i, null, why, row);
                }
            }
        }

        private void moveOff(ServiceRecord s, Map<Integer, Assignment> mine, Assignment a) {
            Optional<Scheduler> scheduler = scheduler(s);
            Placement p = scheduler.isEmpty() ? null
                    : scheduler.get().place(List.copyOf(states.values()), request(s, a.index()));
            if (p == null) {
                // The replica keeps running where it is until its strategy is installed again.
                String why = missing(s);
                stillStuck.add(replica(a));
                if (!why.equals(stuck.put(replica(a), why))) {
                    note(s.name(), a.index(), "Cannot move " + replica(a) + " off draining node " + a.node() + ": "
                            + why);
                }
            } else if (p instanceof Placement.Placed placed) {
                put(mine, new Assignment(s.name(), a.index(), placed.node(), a.node(), now, a.revision()));
                charge(placed.node(), request(s, a.index()));
                note(s.name(), a.index(), "Moving " + replica(a) + " off draining node " + a.node() + " to "
                        + placed.node());
            } else if (p instanceof Placement.Unschedulable u) {
                // Said once per reason, not once per pass.
                stillStuck.add(replica(a));
                if (!u.message().equals(stuck.put(replica(a), u.message()))) {
                    note(s.name(), a.index(), "Cannot move " + replica(a) + " off draining node " + a.node() + ": "
                            + u.message());
                }
            }
        }

        private void pendingRow(ServiceRecord s, int i, String node, String message, Optional<ReplicaRecord> prev) {
            boolean same = prev.filter(r -> r.state() == ReplicaState.PENDING && r.message().equals(message)
                    && java.util.Objects.equals(r.node(), node) && r.revision() == s.revision()).isPresent();
            if (same) {
                return; // an unplaceable replica is looked at every pass: no write when nothing changed
            }
            int restarts = prev.map(ReplicaRecord::restartCount).orElse(0);
            tx.replicas().put(new ReplicaRecord(s.name(), i, node, null, null, s.revision(),
                    ReplicaState.PENDING, Health.NONE, restarts, null, 0, message, now));
        }

        /**
         * The service's scheduler; empty when its strategy is not installed (a plugin removed
         * since the deploy): that service waits, the others are placed.
         */
        private Optional<Scheduler> scheduler(ServiceRecord s) {
            String name = strategy(s);
            if (missingStrategies.containsKey(name)) {
                return Optional.empty();
            }
            try {
                return Optional.of(schedulers.apply(name));
            } catch (RuntimeException e) {
                missingStrategies.put(name, e.getMessage() == null ? e.toString() : e.getMessage());
                return Optional.empty();
            }
        }

        private String strategy(ServiceRecord s) {
            return s.spec().strategy() == null ? defaultStrategy : s.spec().strategy();
        }

        /** Why a service whose strategy is missing waits: the reason in its pending rows. */
        private String missing(ServiceRecord s) {
            return "scheduler strategy '" + strategy(s) + "' is not available (" + missingStrategies.get(strategy(s))
                    + "); install its plugin or redeploy with another strategy";
        }

        private Request request(ServiceRecord s, int i) {
            if (s == null) {
                return null;
            }
            try {
                return Request.forReplica(s.spec(), i);
            } catch (OrchestratorException e) {
                return Request.of(s.name(), i, s.spec().resources().cpuShares(), s.spec().resources().memoryBytes());
            }
        }

        private boolean ready(String node) {
            NodeRecord n = nodes.get(node);
            return n != null && n.status() == NodeStatus.READY;
        }

        private void put(Map<Integer, Assignment> mine, Assignment a) {
            Assignment old = mine.put(a.index(), a);
            tx.assignments().put(a);
            changed.add(a.node());
            if (old != null) {
                changed.add(old.node());
            }
        }

        private void drop(Map<Integer, Assignment> mine, Assignment a) {
            mine.remove(a.index());
            tx.assignments().delete(a.service(), a.index());
            changed.add(a.node());
            if (a.previousNode() != null) {
                changed.add(a.previousNode());
            }
        }

        private void note(String service, int index, String message) {
            events.add(new String[] {service, service + "-" + index, message});
        }

        private static String replica(Assignment a) {
            return a.service() + "-" + a.index();
        }
    }
}
