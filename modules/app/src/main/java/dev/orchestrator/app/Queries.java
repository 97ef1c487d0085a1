package dev.orchestrator.app;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.LogLine;
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
                .map(s -> new ServiceState(s, rows.stream().filter(r -> r.service().equals(s.name())).toList()))
                .toList();
    }

    /**
     * @param name a service
     * @return it with its replicas
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}
     */
    public ServiceState service(String name) {
        ServiceRecord s = record(name);
        return new ServiceState(s, store.replicas().ofService(s.name()));
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
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // a duration, then
        }
        try {
            return clock.instant().minus(Validation.duration("since", text));
        } catch (OrchestratorException e) {
            throw OrchestratorException.invalid("since must be an ISO-8601 instant like 2024-01-15T10:23:45Z or a"
                    + " duration like 10m, got '" + text + "'");
        }
    }

    /**
     * Which logs to read.
     *
     * @param service the service
     * @param tail    lines per replica
     */
    public record Logs(String service, int tail) {
    }

    /**
     * The logs of every replica of a service, oldest first, each line prefixed with the replica
     * name ({@code api-server-0 | ...}). Blocks while the nodes answer.
     *
     * @param query which logs
     * @return the lines
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}
     */
    public List<String> logs(Logs query) {
        ServiceRecord s = record(query.service());
        record Line(Instant at, String text) {
        }
        var lines = new ArrayList<Line>();
        for (ReplicaRecord r : store.replicas().ofService(s.name())) {
            if (r.containerId() == null) {
                continue;
            }
            String prefix = Containers.replicaName(r.service(), r.index()) + " | ";
            for (LogLine l : hooks.logs(r, query.tail())) {
                lines.add(new Line(l.timestamp() == null ? Instant.EPOCH : l.timestamp(), prefix + l.text()));
            }
        }
        lines.sort(Comparator.comparing(Line::at));
        return lines.stream().map(Line::text).toList();
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
