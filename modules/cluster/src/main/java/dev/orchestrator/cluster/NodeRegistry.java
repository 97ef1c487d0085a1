package dev.orchestrator.cluster;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.StoreTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The nodes and their liveness: registers a node at its first report, keeps when each was last
 * heard and what it uses, holds each name for one agent identity, and marks a node {@code down}
 * when its reports stop for longer than the timeout (the failure detector).
 *
 * <p>Thread-safe: reports of different nodes arrive concurrently; {@link #check()} runs on a
 * timer. Blocks on the store only.
 */
public final class NodeRegistry {
    private final Store store;
    private final Duration downAfter;
    private final Instant startedAt;
    /** On the {@link Liveness} clock: when each node's last report was stored; decides silence. */
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    /** The same on the wall clock, for people. */
    private final Map<String, Instant> seenAt = new ConcurrentHashMap<>();
    private final Clock liveness;
    /** Nodes this registry marked down that have not been heard since. */
    private final Set<String> markedDown = ConcurrentHashMap.newKeySet();
    /** Whether a check ran after the start-up grace (nodes silent since the start are down then). */
    private volatile boolean sweptAfterStart;
    /** The store is read at least this often anyway: a safety net under the memory. */
    private static final Duration FULL_CHECK = Duration.ofSeconds(10);
    private volatile Instant nextFullCheck = Instant.MIN;
    private final Map<String, String> identities = new ConcurrentHashMap<>();
    private final Map<String, Protocol.Usage> usage = new ConcurrentHashMap<>();
    /** Nodes whose last report said their engine does not answer, with why. */
    private final Map<String, String> engines = new ConcurrentHashMap<>();
    /**
     * Node rows as last read from the store by {@link #unchanged}, so a steady report reads no
     * row: dropped whenever this registry writes one and by {@link #forget} (the operator's
     * writes), so what it answers is never older than the last change.
     */
    private final Map<String, NodeRecord> stored = new ConcurrentHashMap<>();

    /**
     * A node the failure detector marked down.
     *
     * @param node   its name
     * @param silent how long it had been silent
     */
    public record Down(String node, Duration silent) {
        /** @return the event text */
        public String message() {
            return "Node " + node + " is down: no heartbeat for "
                    + String.format(Locale.ROOT, "%.1f", silent.toMillis() / 1000.0) + "s";
        }
    }

    /**
     * @param store     the state
     * @param clock     the clock
     * @param downAfter how long without a report makes a node down
     */
    public NodeRegistry(Store store, Clock clock, Duration downAfter) {
        this(store, downAfter, Liveness.of(clock));
    }

    /**
     * @param store     the state
     * @param downAfter how long without a report makes a node down
     * @param liveness  the clock that decides silence (see {@link Liveness})
     */
    NodeRegistry(Store store, Duration downAfter, Clock liveness) {
        this.store = store;
        this.liveness = liveness;
        this.downAfter = downAfter;
        this.startedAt = liveness.instant();
    }

    /**
     * One name, one node: a report from another identity (another data directory) under a name
     * whose node spoke within the timeout is refused; once that one is silent longer, the new
     * one takes the name over (a replaced machine). Changes nothing.
     *
     * @param hb  the report
     * @param now when it arrived
     * @throws OrchestratorException {@code CONFLICT} if another identity holds the name
     */
    public void claim(Protocol.Heartbeat hb, Instant now) {
        String known = identities.get(hb.node());
        if (known != null && hb.nodeId() != null && !known.equals(hb.nodeId())) {
            Instant seen = lastSeen.getOrDefault(hb.node(), startedAt);
            if (Duration.between(seen, liveness.instant()).compareTo(downAfter) <= 0) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "node name '" + hb.node()
                        + "' is in use by another node: give this one another --name");
            }
        }
    }

    /**
     * Records a report that was accepted and stored: its identity, time and usage. Only
     * reports that were stored count as heard, so a node whose reports all fail goes down.
     *
     * @param hb  the report
     * @param now when it arrived
     */
    public void heard(Protocol.Heartbeat hb, Instant now) {
        if (hb.nodeId() != null) {
            identities.put(hb.node(), hb.nodeId());
        }
        Instant live = liveness.instant();
        lastSeen.compute(hb.node(), (k, before) -> {
            markedDown.remove(k); // atomically with the time: see check()
            return live;
        });
        seenAt.put(hb.node(), now);
        if (hb.engine() == null) {
            engines.remove(hb.node());
        } else {
            engines.put(hb.node(), hb.engine());
        }
        if (hb.usage() != null) {
            usage.put(hb.node(), hb.usage());
        }
    }

    /**
     * Writes the node's record from its report, in the caller's transaction, keeping the
     * operator's availability. Most reports change nothing but the time: the row is then
     * rewritten only once {@link #PERSIST_SEEN} has passed, so a report costs no write; the
     * live time is {@link #lastSeen}.
     *
     * @param tx   the transaction
     * @param hb   the report
     * @param now  when it arrived
     * @param said where the events it causes (joined, back) are added
     * @return the record as it is now
     */
    public NodeRecord register(StoreTx tx, Protocol.Heartbeat hb, Instant now, List<String> said) {
        stored.remove(hb.node());
        Optional<NodeRecord> before = tx.nodes().get(hb.node());
        var node = new NodeRecord(hb.node(), hb.address(), hb.labels(), hb.cpus(), hb.memoryBytes(),
                NodeStatus.READY, before.map(NodeRecord::availability).orElse(Availability.ACTIVE),
                hb.runtimeVersion(), now);
        if (before.isEmpty()) {
            said.add("Node " + hb.node() + " joined (" + hb.address() + ", " + hb.cpus() + " CPUs, "
                    + hb.memoryBytes() / (1024 * 1024) + " MiB)");
        } else if (before.get().status() != NodeStatus.READY) {
            said.add("Node " + hb.node() + " is back (ready)");
        }
        if (before.isPresent() && sameButTime(before.get(), node)
                && Duration.between(before.get().lastHeartbeat(), now).compareTo(PERSIST_SEEN) < 0) {
            return before.get();
        }
        tx.nodes().put(node);
        return node;
    }

    /**
     * The node's stored record if a report changes nothing in it but the time (and the stored
     * time is recent enough): then the report needs no write. One read outside any write
     * transaction, then none until the row is written again (every {@link #PERSIST_SEEN}).
     *
     * @param hb  the report
     * @param now when it arrived
     * @return the record, or empty if the report must go through {@link #register}
     */
    public Optional<NodeRecord> unchanged(Protocol.Heartbeat hb, Instant now) {
        NodeRecord known = stored.get(hb.node());
        if (known == null) {
            known = store.nodes().get(hb.node()).orElse(null);
            if (known != null) {
                stored.put(hb.node(), known);
            }
        }
        if (known == null || known.status() != NodeStatus.READY || known.lastHeartbeat() == null
                || Duration.between(known.lastHeartbeat(), now).compareTo(PERSIST_SEEN) >= 0) {
            return Optional.empty();
        }
        var asReported = new NodeRecord(hb.node(), hb.address(), hb.labels(), hb.cpus(), hb.memoryBytes(),
                NodeStatus.READY, known.availability(), hb.runtimeVersion(), now);
        return sameButTime(known, asReported) ? Optional.of(known) : Optional.empty();
    }

    /** How stale the stored time of a node's last report may get; the live one is in memory. */
    public static final Duration PERSIST_SEEN = Duration.ofSeconds(60);

    private static boolean sameButTime(NodeRecord a, NodeRecord b) {
        return a.lastHeartbeat() != null && a.name().equals(b.name()) && a.address().equals(b.address())
                && a.labels().equals(b.labels()) && a.cpus() == b.cpus() && a.memoryBytes() == b.memoryBytes()
                && a.status() == b.status() && a.availability() == b.availability()
                && java.util.Objects.equals(a.runtimeVersion(), b.runtimeVersion());
    }

    /**
     * Drops what this registry remembers of a node's stored row, after someone else changed
     * it (the operator's cordon, drain or activate): its next report reads it again.
     *
     * @param node a node name
     */
    public void forget(String node) {
        stored.remove(node);
    }

    /** @return how many nodes were heard since this server started (down ones included) */
    public int heardCount() {
        return lastSeen.size();
    }

    /**
     * @param node a node name
     * @return when its last report since this server started was stored
     */
    public Optional<Instant> lastSeen(String node) {
        return Optional.ofNullable(seenAt.get(node));
    }

    /**
     * @param node a node name
     * @return how long it has not been heard, on the monotonic clock, from the later of its last
     *         stored report and this server's start (as {@link #check} counts)
     */
    public Duration silence(String node) {
        return Duration.between(lastSeen.getOrDefault(node, startedAt), liveness.instant());
    }

    /**
     * Marks down the ready nodes whose reports stopped. A node is given the timeout from the
     * later of its last report and this server's start, so a restarted server does not declare
     * every node dead before it had a chance to speak.
     *
     * @return the nodes marked down now
     */
    public List<Down> check() {
        Instant now = liveness.instant();
        var down = new ArrayList<Down>();
        var decided = new HashMap<String, Instant>();
        // Most checks find everyone alive: from memory alone once every node that was ready at
        // the start has had its grace, else a read; a write transaction only when needed. A
        // node becomes ready only through a report, which puts it in lastSeen.
        if (sweptAfterStart && noneSilent(now) && now.isBefore(nextFullCheck)) {
            return down;
        }
        nextFullCheck = now.plus(FULL_CHECK);
        boolean graceOver = Duration.between(startedAt, now).compareTo(downAfter) > 0;
        if (store.nodes().all().stream().noneMatch(n -> n.status() == NodeStatus.READY && silentTooLong(n, now))) {
            sweptAfterStart |= graceOver;
            return down;
        }
        store.runInTransaction(tx -> {
            // In one transaction: a report or a drain landing meanwhile is not overwritten.
            for (NodeRecord n : tx.nodes().all()) {
                if (n.status() != NodeStatus.READY) {
                    continue;
                }
                Instant seen = lastSeen.getOrDefault(n.name(), startedAt);
                Duration silent = Duration.between(seen, now);
                if (silent.compareTo(downAfter) > 0) {
                    tx.nodes().put(n.withStatus(NodeStatus.DOWN));
                    down.add(new Down(n.name(), silent));
                    decided.put(n.name(), seen);
                }
            }
        });
        down.forEach(d -> {
            usage.remove(d.node());
            engines.remove(d.node());
            stored.remove(d.node());
            // Only if no report came in since the decision (a node back at once stays watched).
            lastSeen.computeIfPresent(d.node(), (k, seen) -> {
                if (seen.equals(decided.get(k))) {
                    markedDown.add(k);
                }
                return seen;
            });
        });
        sweptAfterStart |= graceOver;
        return down;
    }

    private boolean noneSilent(Instant now) {
        for (Map.Entry<String, Instant> e : lastSeen.entrySet()) {
            if (Duration.between(e.getValue(), now).compareTo(downAfter) > 0 && !markedDown.contains(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    private boolean silentTooLong(NodeRecord n, Instant now) {
        return Duration.between(lastSeen.getOrDefault(n.name(), startedAt), now).compareTo(downAfter) > 0;
    }

    /**
     * @param node a node name
     * @return why its container engine does not answer, if its last report said so
     */
    public Optional<String> engineProblem(String node) {
        return Optional.ofNullable(engines.get(node));
    }

    /**
     * @param node a node name
     * @return what its last report since this server started said it uses
     */
    public Optional<Protocol.Usage> usage(String node) {
        return Optional.ofNullable(usage.get(node));
    }
}
