package dev.orchestrator.cluster;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.orchestration.Backend;
import dev.orchestrator.orchestration.RemoteBackends;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.SpecJson;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.StoreTx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The server's view of its agents: registers them at their first heartbeat, records what each
 * heartbeat reports (replica rows, events, backends), answers with the desired state, and marks
 * a node {@code down} when its heartbeats stop for longer than the timeout.
 *
 * <p>Thread-safe: heartbeats of different nodes are handled concurrently; {@link #check()} runs
 * on a timer. Every method blocks on the store only.
 */
public final class Membership {
    private static final String TYPE = "node";

    private final Store store;
    private final EventSink events;
    private final Clock clock;
    private final Duration downAfter;
    private final String clusterId;
    private final String localNode;
    private final Runnable onChange;
    private final Instant startedAt;
    private final Map<String, Instant> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, List<Backend>> backends = new ConcurrentHashMap<>();
    private final Map<String, String> agentUrls = new ConcurrentHashMap<>();
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    private final Map<String, Protocol.Usage> usage = new ConcurrentHashMap<>();
    private final Map<String, Protocol.Service> encoded = new ConcurrentHashMap<>();
    private final Map<String, String> nodeIds = new ConcurrentHashMap<>();
    private final Map<String, Instant> refusals = new ConcurrentHashMap<>();
    private volatile Supplier<List<Backend>> localBackends = List::of;
    private final String serverKey = randomKey();

    /**
     * @param store     the state
     * @param events    where events go
     * @param clock     the clock
     * @param downAfter how long without a heartbeat makes a node down
     * @param clusterId the cluster id
     * @param localNode the server's embedded node, or null without one
     * @param onChange  called (on the caller's thread) when a node joins, returns or goes down
     */
    public Membership(Store store, EventSink events, Clock clock, Duration downAfter, String clusterId,
                      String localNode, Runnable onChange) {
        this.store = store;
        this.events = events;
        this.clock = clock;
        this.downAfter = downAfter;
        this.clusterId = clusterId;
        this.localNode = localNode;
        this.onChange = onChange;
        this.startedAt = clock.instant();
    }

    /** @param source the healthy backends of the embedded node */
    public void localBackends(Supplier<List<Backend>> source) {
        this.localBackends = source;
    }

    /**
     * Handles one heartbeat of an agent whose token was accepted.
     *
     * @param hb the heartbeat
     * @return the answer
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a malformed heartbeat,
     *                               {@code CONFLICT} if it claims the embedded node's name
     */
    public Protocol.Reply heartbeat(Protocol.Heartbeat hb) {
        validate(hb);
        Instant now = clock.instant();
        claim(hb, now);
        lastSeen.put(hb.node(), now);
        backends.put(hb.node(), hb.backends().stream().map(Membership::backend).toList());
        if (hb.agentUrl() != null) {
            agentUrls.put(hb.node(), hb.agentUrl());
        }
        if (hb.usage() != null) {
            usage.put(hb.node(), hb.usage());
        }
        var said = new ArrayList<String>();
        NodeRecord node = store.inTransaction(tx -> record(tx, hb, now, said));
        said.forEach(m -> events.emit(TYPE, null, null, m));
        if (!said.isEmpty()) {
            onChange.run();
        }
        return reply(node);
    }

    private NodeRecord record(StoreTx tx, Protocol.Heartbeat hb, Instant now, List<String> said) {
        Optional<NodeRecord> before = tx.node(hb.node());
        var node = new NodeRecord(hb.node(), hb.address(), hb.labels(), hb.cpus(), hb.memoryBytes(), "ready",
                before.map(NodeRecord::availability).orElse("active"), hb.runtimeVersion(), now);
        tx.putNode(node);
        if (before.isEmpty()) {
            said.add("Node " + hb.node() + " joined (" + hb.address() + ", " + hb.cpus() + " CPUs, "
                    + hb.memoryBytes() / (1024 * 1024) + " MiB)");
        } else if (!before.get().status().equals("ready")) {
            said.add("Node " + hb.node() + " is back (ready)");
        }
        for (Protocol.Replica r : hb.replicas()) {
            ReplicaRecord row = row(hb.node(), r);
            // Most heartbeats repeat the last one: only rows that say something new are written.
            if (tx.assignment(r.service(), r.index()).filter(a -> a.accepts(row)).isPresent()
                    && !row.sameAs(tx.replica(r.service(), r.index()).orElse(null))) {
                tx.putReplica(row);
            }
        }
        long last = acked.getOrDefault(hb.node(), 0L);
        for (Protocol.Event e : hb.events()) {
            if (e.id() > last) {
                tx.append(new Event(Instant.ofEpochMilli(e.timestamp()), e.type(), e.service(), e.container(),
                        e.message()));
                last = e.id();
            }
        }
        acked.put(hb.node(), last);
        return node;
    }

    private Protocol.Reply reply(NodeRecord node) {
        List<Protocol.Service> services = store.services().stream().map(this::service).toList();
        List<Protocol.Assign> assigns = store.assignmentsOf(node.name()).stream().map(Membership::assign).toList();
        var others = new ArrayList<Protocol.Backend>();
        backendsExcept(node.name()).forEach(b -> others.add(new Protocol.Backend(b.service(), b.containerPort(),
                b.protocol(), b.endpoint().replica(), b.endpoint().host(), b.endpoint().port())));
        return new Protocol.Reply(clusterId, node.status(), node.availability(), services, assigns, others,
                acked.getOrDefault(node.name(), 0L), serverKey);
    }

    /**
     * Marks down the nodes whose heartbeats stopped. A node is given the timeout from the later
     * of its last heartbeat and this server's start, so a restarted server does not declare
     * every node dead before it had a chance to speak.
     */
    public void check() {
        Instant now = clock.instant();
        record Silent(String node, Duration silent) {
        }
        var down = new ArrayList<Silent>();
        store.runInTransaction(tx -> {
            // In one transaction: a heartbeat or a drain landing meanwhile is not overwritten.
            for (NodeRecord n : tx.nodes()) {
                if (n.name().equals(localNode) || !n.status().equals("ready")) {
                    continue;
                }
                Duration silent = Duration.between(lastSeen.getOrDefault(n.name(), startedAt), now);
                if (silent.compareTo(downAfter) > 0) {
                    tx.putNode(n.withStatus("down"));
                    down.add(new Silent(n.name(), silent));
                }
            }
        });
        for (Silent d : down) {
            backends.remove(d.node());
            usage.remove(d.node());
            events.emit(TYPE, null, null, "Node " + d.node() + " is down: no heartbeat for " + seconds(d.silent()) + "s");
        }
        if (!down.isEmpty()) {
            onChange.run();
        }
    }

    /**
     * Records a refused heartbeat; says so at most once a minute per node.
     *
     * @param claimedNode the node name the request claimed, possibly null
     * @param remote      where it came from
     */
    public void refused(String claimedNode, String remote) {
        String key = claimedNode + "@" + remote;
        Instant now = clock.instant();
        Instant last = refusals.get(key);
        if (last == null || Duration.between(last, now).toSeconds() >= 60) {
            refusals.put(key, now);
            events.emit("auth", null, null, "Refused node " + (claimedNode == null ? "(unnamed)" : claimedNode)
                    + " from " + remote + ": invalid or revoked join token");
        }
    }

    /** @return the bearer token this server presents to agents' endpoints */
    public String serverKey() {
        return serverKey;
    }

    private static String randomKey() {
        byte[] b = new byte[32];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /**
     * @param node a node name
     * @return the URL of its agent's endpoint, if it told one since this server started
     */
    public Optional<String> agentUrl(String node) {
        return Optional.ofNullable(agentUrls.get(node));
    }

    /**
     * @param node a node name
     * @return what its last heartbeat since this server started said it uses
     */
    public Optional<Protocol.Usage> usage(String node) {
        return Optional.ofNullable(usage.get(node));
    }

    /**
     * @param node the node asking
     * @return the backends of every other ready node, for that node's load balancer
     */
    public RemoteBackends remoteFor(String node) {
        return new RemoteBackends() {
            @Override
            public List<Endpoint> of(String service, int port, String protocol) {
                return backendsExcept(node).stream().filter(b -> b.service().equals(service)
                        && b.containerPort() == port && b.protocol().equals(protocol)).map(Backend::endpoint).toList();
            }

            /** Agents read this node's backends live at each heartbeat: one interval. */
            @Override
            public Duration propagation() {
                boolean others = lastSeen.keySet().stream().anyMatch(n -> !n.equals(node));
                return others ? Protocol.HEARTBEAT_INTERVAL.plus(Protocol.SLACK) : Duration.ZERO;
            }
        };
    }

    private List<Backend> backendsExcept(String node) {
        var all = new ArrayList<Backend>();
        backends.forEach((n, list) -> {
            if (!n.equals(node)) {
                all.addAll(list);
            }
        });
        if (localNode != null && !localNode.equals(node)) {
            all.addAll(localBackends.get());
        }
        return all;
    }

    /**
     * One name, one agent: a heartbeat from another agent (another data directory) under a name
     * whose agent spoke within the timeout is refused; once that one is silent longer, the new
     * one takes the name over (a replaced machine).
     */
    private synchronized void claim(Protocol.Heartbeat hb, Instant now) {
        String known = nodeIds.get(hb.node());
        if (known != null && hb.nodeId() != null && !known.equals(hb.nodeId())) {
            Instant seen = lastSeen.getOrDefault(hb.node(), startedAt);
            if (Duration.between(seen, now).compareTo(downAfter) <= 0) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "node name '" + hb.node()
                        + "' is in use by another agent: give this one another --name");
            }
        }
        if (hb.nodeId() != null) {
            nodeIds.put(hb.node(), hb.nodeId());
        }
    }

    private void validate(Protocol.Heartbeat hb) {
        Validation.dnsLabel("node", hb.node());
        if (hb.node().equals(localNode)) {
            throw new OrchestratorException(ErrorCode.CONFLICT, "node name '" + hb.node()
                    + "' is the server's own node: start the agent with another --name");
        }
        if (hb.address() == null || hb.address().isBlank()) {
            throw OrchestratorException.invalid("address is required");
        }
        if (hb.cpus() < 0 || hb.memoryBytes() < 0) {
            throw OrchestratorException.invalid("cpus and memory_bytes must not be negative");
        }
    }

    private static ReplicaRecord row(String node, Protocol.Replica r) {
        return new ReplicaRecord(r.service(), r.index(), node, r.containerId(), r.containerName(), r.revision(),
                r.state(), r.health(), r.restartCount(), r.lastExitCode(), r.hostPort(), r.message(),
                Instant.ofEpochMilli(r.updatedAt()));
    }

    private static Backend backend(Protocol.Backend b) {
        return new Backend(b.service(), b.containerPort(), b.protocol(), new Endpoint(b.replica(), b.host(), b.port()));
    }

    /** A service as replies carry it; the encoded spec is reused until the service changes. */
    private Protocol.Service service(ServiceRecord s) {
        Protocol.Service cached = encoded.get(s.name());
        if (cached != null && cached.revision() == s.revision() && cached.replicas() == s.spec().replicas()
                && cached.updatedAt() == s.updatedAt().toEpochMilli() && cached.createdAt() == s.createdAt().toEpochMilli()) {
            return cached;
        }
        var fresh = new Protocol.Service(s.name(), SpecJson.encode(s.spec()), s.spec().replicas(), s.revision(),
                s.createdAt().toEpochMilli(), s.updatedAt().toEpochMilli());
        if (encoded.size() > 10_000) {
            encoded.clear(); // services come and go: never grow without bound
        }
        encoded.put(s.name(), fresh);
        return fresh;
    }

    static Protocol.Assign assign(Assignment a) {
        return new Protocol.Assign(a.service(), a.index(), a.node(), a.previousNode(), a.assignedAt().toEpochMilli());
    }

    private static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1f", d.toMillis() / 1000.0);
    }
}
