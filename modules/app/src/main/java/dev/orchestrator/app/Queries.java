package dev.orchestrator.app;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.cluster.LogFanIn;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.orchestration.Containers;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.EventRecords;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The read side: services, nodes, events and logs, as the API shows them. Changes nothing. */
public final class Queries {
    private final Store store;
    private final ClusterHooks hooks;
    private final Clock clock;

    /**
     * @param store the store
     * @param hooks the cluster side (node usage, logs)
     * @param clock the clock relative times ({@code since=10m}) count back from
     */
    public Queries(Store store, ClusterHooks hooks, Clock clock) {
        this.store = store;
        this.hooks = hooks;
        this.clock = clock;
    }

    /** @return every service with its replicas, by name */
    public List<ServiceState> services() {
        List<ReplicaRecord> rows = store.replicas().all();
        return store.services().all().stream()
                .map(s -> state(s, rows.stream().filter(r -> r.service().equals(s.name())).toList()))
                .toList();
    }

    /**
     * @param name a service
     * @return it with its replicas
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}
     */
    public ServiceState service(String name) {
        ServiceRecord s = record(name);
        return state(s, store.replicas().ofService(s.name()));
    }

    /** The revision history is read only for a service whose replicas run another revision. */
    private ServiceState state(ServiceRecord s, List<ReplicaRecord> rows) {
        return rows.stream().allMatch(r -> r.revision() == s.revision()) ? new ServiceState(s, rows)
                : new ServiceState(s, rows, DeploymentController.equivalent(store, s));
    }

    /**
     * @param name a service
     * @return its latest rollout, if it ever had one
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}
     */
    public java.util.Optional<RolloutProgress> rollout(String name) {
        ServiceRecord s = record(name);
        return store.deployments().get(s.name()).map(d -> RolloutProgress.of(d, s,
                store.assignments().all().stream().filter(a -> a.service().equals(s.name())).toList(),
                store.replicas().ofService(s.name())));
    }

    /** @return every node, by name */
    public List<NodeState> nodes() {
        List<ReplicaRecord> rows = store.replicas().all();
        Map<String, ServiceSpec> specs = specs();
        return store.nodes().all().stream().map(n -> state(n, rows, specs)).toList();
    }

    /**
     * @param name a node
     * @return it
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}
     */
    public NodeState node(String name) {
        String node = Names.node(name);
        NodeRecord n = store.nodes().get(node).orElseThrow(() -> Names.noNode(node));
        return state(n, store.replicas().all(), specs());
    }

    /**
     * @param name a service
     * @return the specs it had, the current one first (the newest 10)
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}
     */
    public List<dev.orchestrator.store.Revision> revisions(String name) {
        String service = Names.service(name);
        store.services().get(service).orElseThrow(() -> Names.noService(service));
        return store.services().revisions(service);
    }

    /**
     * Which events to read.
     *
     * @param service only this service's, or null for all
     * @param type    only this type's (e.g. {@code container}), or null for all
     * @param node    only those about this node, or null for all
     * @param since   only from this ISO-8601 instant on (inclusive), or this long ago ({@code 10m}), or null
     * @param limit   the newest this many (or, after an id, the next this many)
     */
    public record Events(String service, String type, String node, String since, int limit) {
        /** By service and time only. */
        public Events(String service, String since, int limit) {
            this(service, null, null, since, limit);
        }
    }

    /**
     * @param query which events
     * @return them, oldest first
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a malformed name, type, instant or limit
     */
    public List<dev.orchestrator.api.Event> events(Events query) {
        return events(query, 0).stream().map(EventRecords.Numbered::event).toList();
    }

    /**
     * @param query   which events
     * @param afterId 0 for the newest; else the next ones after this id, for a follower
     * @return them with their ids, oldest first
     * @throws OrchestratorException {@code INVALID_ARGUMENT} as {@link #events(Events)}
     */
    public List<EventRecords.Numbered> events(Events query, long afterId) {
        EventQuery q = EventQuery.latest().withLimit(query.limit()).withAfterId(afterId);
        if (query.service() != null) {
            q = q.withService(Names.service(query.service()));
        }
        if (query.node() != null) {
            q = q.withNode(Names.node(query.node()));
        }
        if (query.type() != null) {
            q = q.withType(query.type());
        }
        if (query.since() != null) {
            q = q.withSince(since(query.since()));
        }
        return store.events().read(q);
    }

    /**
     * Waits until an event after {@code afterId} is committed, at most {@code max}: a follower
     * then reads with {@link #events(Events, long)}. Blocks the caller.
     *
     * @param afterId the last id the follower has
     * @param max     the longest wait
     * @throws InterruptedException if interrupted
     */
    public void awaitEvent(long afterId, java.time.Duration max) throws InterruptedException {
        store.awaitEvent(afterId, max);
    }

    /** Wakes every {@link #awaitEvent} at once (the server is stopping). */
    public void wakeFollowers() {
        store.wakeEventFollowers();
    }

    /** @return the highest event id now, 0 if none: where a follower that wants only new events starts */
    public long lastEventId() {
        List<EventRecords.Numbered> last = store.events().read(EventQuery.latest().withLimit(1));
        return last.isEmpty() ? 0 : last.getFirst().id();
    }

    private Instant since(String text) {
        return instant("since", text);
    }

    private Instant instant(String name, String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // a duration, then
        }
        try {
            return clock.instant().minus(Validation.duration(name, text));
        } catch (OrchestratorException e) {
            throw OrchestratorException.invalid(name + " must be an ISO-8601 instant like 2024-01-15T10:23:45Z or a"
                    + " duration like 10m, got '" + text + "'");
        }
    }

    /**
     * Which logs to read, as the API's parameters give them.
     *
     * @param service the service
     * @param replica one replica's lines (e.g. {@code api-server-2}), or null
     * @param since   an ISO-8601 instant or a duration back from now ({@code 10m}), or null
     * @param until   the same, or null
     * @param tail    the newest lines of each replica, 0 for all
     */
    public record Logs(String service, String replica, String since, String until, int tail) {
    }

    /**
     * Checks a log request before anything is read or streamed.
     *
     * @param query the request
     * @return what to ask the nodes
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}
     */
    public LogQuery logQuery(Logs query) {
        ServiceRecord s = record(query.service());
        String replica = query.replica();
        if (replica != null && !replica.matches(java.util.regex.Pattern.quote(s.name()) + "-(0|[1-9][0-9]{0,5})")) {
            throw OrchestratorException.invalid("replica must name one of " + s.name() + "'s replicas, like "
                    + Containers.replicaName(s.name(), 1) + ", got '" + replica + "'");
        }
        Instant since = query.since() == null ? null : since(query.since());
        Instant until = query.until() == null ? null : instant("until", query.until());
        if (since != null && until != null && !until.isAfter(since)) {
            throw OrchestratorException.invalid("until must be after since");
        }
        if (query.tail() < 0 || query.tail() > 100_000) {
            throw OrchestratorException.invalid("tail must be between 0 and 100000, got " + query.tail());
        }
        return new LogQuery(s.name(), replica, since, until, query.tail());
    }

    /**
     * The logs of a service from every node, merged by time. Blocks while the nodes answer, at
     * most {@link LogFanIn#WAIT}.
     *
     * @param query what {@link #logQuery} made
     * @return the lines, and the nodes that did not answer
     */
    public LogFanIn.Read logs(LogQuery query) {
        return hooks.readLogs(query);
    }

    /**
     * Follows a service's logs on every node. Returns at once.
     *
     * @param query what {@link #logQuery} made
     * @param sink  where lines and notices go, from the nodes' threads
     * @return ends the follow
     */
    public AutoCloseable followLogs(LogQuery query, LogFanIn.Sink sink) {
        return hooks.followLogs(query, sink);
    }

    private ServiceRecord record(String name) {
        String service = Names.service(name);
        return store.services().get(service).orElseThrow(() -> Names.noService(service));
    }

    private Map<String, ServiceSpec> specs() {
        return store.services().all().stream().collect(Collectors.toMap(ServiceRecord::name, ServiceRecord::spec));
    }

    private NodeState state(NodeRecord n, List<ReplicaRecord> rows, Map<String, ServiceSpec> specs) {
        int count = (int) rows.stream().filter(r -> n.name().equals(r.node()) && r.containerId() != null).count();
        long cpu = 0;
        long memory = 0;
        for (Assignment a : store.assignments().onNode(n.name())) {
            ServiceSpec spec = specs.get(a.service());
            // assignmentsOf also returns the moves away from the node, which it only holds.
            if (spec != null && a.node().equals(n.name())) {
                cpu += spec.resources().cpuShares();
                memory += spec.resources().memoryBytes();
            }
        }
        NodeRecord live = hooks.lastSeen(n.name())
                .filter(t -> n.lastHeartbeat() == null || t.isAfter(n.lastHeartbeat()))
                .map(t -> new NodeRecord(n.name(), n.address(), n.labels(), n.cpus(), n.memoryBytes(), n.status(),
                        n.availability(), n.runtimeVersion(), t))
                .orElse(n);
        return new NodeState(live, count, cpu, memory, n.name().equals(hooks.localNode()), hooks.usage(n.name()),
                hooks.engineProblem(n.name()));
    }
}
