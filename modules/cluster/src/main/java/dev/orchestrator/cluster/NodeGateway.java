package dev.orchestrator.cluster;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.Store;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The control plane's side of the node protocol, the same for every node: a report goes to the
 * {@link NodeRegistry} (liveness), the {@link ReportIntake} (rows and events) and the
 * {@link RoutingTable} (backends); a watch is answered by the {@link DesiredStateFeed}. A remote
 * agent reaches it over HTTP (the server's agent routes), the server's own node in process.
 *
 * <p>Thread-safe.
 */
public final class NodeGateway implements ControlPlaneLink, AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** About how many reports a second the server asks for, over all nodes (Nomad's default 50). */
    public static final int REPORTS_PER_SECOND = 50;
    private static final String TYPE = "node";

    private final Store store;
    private final EventSink events;
    private final Clock clock;
    private final String clusterId;
    private final NodeRegistry registry;
    private final ReportIntake intake = new ReportIntake();
    private final RoutingTable routing = new RoutingTable();
    private final DesiredStateFeed feed;
    private final Runnable onNodesChanged;
    /** Each node's key is derived from this one: a node learns its own key, never another's. */
    private final javax.crypto.spec.SecretKeySpec keyOfKeys = new javax.crypto.spec.SecretKeySpec(randomBytes(),
            "HmacSHA256");
    private final Duration downAfter;
    private final Observations observations;

    /**
     * @param store          the state
     * @param events         where node events go
     * @param clock          the clock
     * @param downAfter      how long without a report makes a node down
     * @param clusterId      the cluster id
     * @param onNodesChanged called (on the caller's thread, so it must not block long) when a node
     *                       joins, returns or goes down, or a report changed replica rows:
     *                       what the assigner reads changed
     */
    public NodeGateway(Store store, EventSink events, Clock clock, Duration downAfter, String clusterId,
                       Runnable onNodesChanged) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.clusterId = clusterId;
        this.onNodesChanged = onNodesChanged;
        this.downAfter = downAfter;
        this.registry = new NodeRegistry(store, clock, downAfter);
        this.observations = new Observations(clock);
        this.feed = new DesiredStateFeed(store, routing, clusterId, clock);
    }

    @Override
    public Protocol.Reply report(Protocol.Heartbeat hb) {
        validate(hb);
        Instant now = clock.instant();
        registry.claim(hb, now);
        if (hb.observed() != null) {
            observations.record(hb.node(), hb.observed(), now); // memory only: stats are ephemeral
        }
        feed.networking(hb.node(), hb.networking());
        Optional<NodeRecord> same = registry.unchanged(hb, now);
        List<Protocol.Assign> assigned = feed.assignmentsOf(hb.node());
        if (same.isPresent() && intake.nothingNew(hb, assigned)) {
            // Most reports: nothing to write, so no transaction (no write lock) at all.
            registry.heard(hb, now);
            if (routing.update(hb.node(), assignedOnly(hb.backends(), assigned))) {
                feed.changed();
            }
            return new Protocol.Reply(clusterId, same.get().status().wireName(), same.get().availability().wireName(),
                    intake.acked(hb.node()), keyFor(hb), intake.wantsFull(hb, assigned), reportEvery());
        }
        var said = new ArrayList<String>();
        var recorded = new ReportIntake.Recorded[1];
        NodeRecord node = store.inTransaction(tx -> {
            NodeRecord n = registry.register(tx, hb, now, said);
            recorded[0] = intake.record(tx, hb);
            return n;
        });
        // Only now, committed: a failed report neither counts as heard nor acknowledges events.
        registry.heard(hb, now);
        intake.acknowledge(hb.node(), recorded[0].lastEvent());
        if (routing.update(hb.node(), assignedOnly(hb.backends(), assigned))) {
            feed.changed();
        }
        said.forEach(m -> events.emit(TYPE, null, null, m, hb.node()));
        if (!said.isEmpty() || recorded[0].rowsWritten()) {
            onNodesChanged.run();
        }
        return new Protocol.Reply(clusterId, node.status().wireName(), node.availability().wireName(),
                intake.acked(hb.node()), keyFor(hb), intake.wantsFull(hb, assigned), reportEvery());
    }

    /**
     * The key the server presents to the node's endpoint goes only in answers to complete
     * reports (a node's first, every 30th, and those the server asks for after its restart),
     * not in every answer each second; the node keeps the last one it was given.
     */
    private String keyFor(Protocol.Heartbeat hb) {
        return hb.partial() ? null : serverKey(hb.node());
    }

    /**
     * The backends of replicas the node runs by its assignments (or hands over, while its
     * replacement starts elsewhere): a node back from a partition re-announces replicas that
     * were moved away meanwhile, and every load balancer would route to them until its next
     * pass removed them.
     */
    static List<Protocol.Backend> assignedOnly(List<Protocol.Backend> backends, List<Protocol.Assign> assigned) {
        var replicas = new java.util.HashSet<String>();
        assigned.forEach(a -> replicas.add(dev.orchestrator.orchestration.Containers.replicaName(a.service(), a.index())));
        return backends.stream().filter(b -> replicas.contains(b.replica())).toList();
    }

    /**
     * The interval asked of every node: reports spread so the server takes about
     * {@link #REPORTS_PER_SECOND} a second in all (as Nomad scales its heartbeat TTL with the
     * cluster), but never longer than 2/5 of the node timeout, so two lost reports in a row
     * still do not mark a live node down, and a dead one is still found by the timeout. Nodes
     * keep their own interval when it is longer. With a 5 s timeout: the nodes' own 1 s up to
     * 50 nodes, 2 s from 100 nodes on.
     */
    long reportEvery() {
        long spread = registry.heardCount() * 1000L / REPORTS_PER_SECOND;
        return Math.min(spread, downAfter.toMillis() * 2 / 5);
    }

    @Override
    public Protocol.Desired watch(String node, long index, Duration wait) throws InterruptedException {
        Validation.dnsLabel("node", node);
        if (store.nodes().get(node).isEmpty()) {
            throw new OrchestratorException(ErrorCode.NOT_FOUND, "node '" + node + "' has not reported yet");
        }
        Duration bounded = wait.compareTo(Protocol.WATCH_WAIT) > 0 ? Protocol.WATCH_WAIT
                : wait.isNegative() ? Duration.ZERO : wait;
        return feed.watch(node, index, bounded);
    }

    /** The gateway is the control plane: a node handed it runs in the server's process. */
    @Override
    public boolean inProcess() {
        return true;
    }

    /** Marks down the nodes whose reports stopped, withdraws their backends, says so. */
    public void check() {
        List<NodeRegistry.Down> down = registry.check();
        boolean rerouted = false;
        for (NodeRegistry.Down d : down) {
            rerouted |= routing.remove(d.node());
            events.emit(TYPE, null, null, d.message(), d.node());
        }
        if (rerouted) {
            feed.changed();
        }
        if (!down.isEmpty()) {
            onNodesChanged.run();
        }
    }

    /**
     * A node's row was changed by someone other than its reports (the operator's cordon, drain
     * or activate): its next report reads it again, and answers with the new availability.
     *
     * @param node the node name
     */
    public void nodeChanged(String node) {
        registry.forget(node);
    }

    /** The desired state changed (a deploy, an assigner pass): the nodes' views follow. */
    public void desiredStateChanged() {
        feed.changed();
    }

    /** @return the views' feed (for tests and simulations that need a view built now) */
    public DesiredStateFeed feed() {
        return feed;
    }

    /** @return the liveness and usage of the nodes */
    public NodeRegistry registry() {
        return registry;
    }

    /** @return the nodes' latest measurements (replicas' usage, probe and load balancer counters) */
    public Observations observations() {
        return observations;
    }

    /**
     * The bearer token this server presents to one node's endpoint (to read its logs): an
     * HMAC-SHA256 of the node's name under a key made at this server's start, so each node
     * holds a key of its own that opens no other node's endpoint, and nothing is stored.
     *
     * @param node the node's name
     * @return its key, the same for the life of this server
     */
    public String serverKey(String node) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(keyOfKeys);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    mac.doFinal(("node-endpoint:" + node).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            // Every Java SE runtime has HmacSHA256 (java.base, SunJCE).
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private static void validate(Protocol.Heartbeat hb) {
        Validation.dnsLabel("node", hb.node());
        if (hb.address() == null || hb.address().isBlank()) {
            throw OrchestratorException.invalid("address is required");
        }
        if (hb.cpus() < 0 || hb.memoryBytes() < 0) {
            throw OrchestratorException.invalid("cpus and memory_bytes must not be negative");
        }
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return b;
    }

    /** Stops the feed; watches return at once. Idempotent. */
    @Override
    public void close() {
        feed.close();
    }
}
