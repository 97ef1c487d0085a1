package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.orchestration.Containers;
import dev.orchestrator.kernel.Probes;
import dev.orchestrator.scheduler.Request;
import dev.orchestrator.server.json.DeployRequest;
import dev.orchestrator.server.json.Json;
import dev.orchestrator.server.json.ScaleRequest;
import dev.orchestrator.server.json.Views;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The {@code /api} routes (docs/api.md). Each handler validates everything before it changes
 * anything; desired state is written to the store (with its event, in one transaction) and
 * the reconciler is then asked to converge.
 */
final class ApiService implements HttpService {
    private final Store store;
    private final Cluster cluster;
    private final String ingressAddress;
    private final IntSupplier apiPort;
    private final Probes probes;
    private final String ownNode;

    /**
     * @param ownNode the name of the server's own node, shown as {@code local} in node views;
     *                null without one
     */
    ApiService(Store store, Cluster cluster, String ingressAddress, IntSupplier apiPort, Probes probes,
               String ownNode) {
        this.ownNode = ownNode;
        this.store = store;
        this.cluster = cluster;
        this.ingressAddress = ingressAddress;
        this.apiPort = apiPort;
        this.probes = probes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/deploy", this::deploy)
                .get("/services", this::list)
                .get("/services/{name}", this::get)
                .delete("/services/{name}", this::delete)
                .post("/services/{name}/scale", this::scale)
                .get("/services/{name}/logs", this::logs)
                .get("/events", this::events)
                .get("/nodes", this::nodes)
                .post("/nodes/{node}/cordon", (req, res) -> availability(req, res, "cordoned"))
                .post("/nodes/{node}/uncordon", (req, res) -> availability(req, res, "active"))
                .post("/nodes/{node}/drain", (req, res) -> availability(req, res, "draining"))
                .register("/tokens", new TokenRoutes(store))
                .any((req, res) -> ErrorResponses.send(res, ErrorCode.NOT_FOUND,
                        "no route " + req.prologue().method().text() + " " + req.path().path() + " (see docs/api.md)"));
    }

    private void deploy(ServerRequest req, ServerResponse res) {
        ServiceSpec spec = Json.read(body(req), DeployRequest.class).toSpec();
        if (spec.healthCheck() != null) {
            probes.require(spec.healthCheck().type());
        }
        if (spec.strategy() != null) {
            cluster.requireStrategy(spec.strategy());
        }
        Request.forReplica(spec, 0); // refuses a malformed constraint before anything is stored
        Optional<ServiceRecord> current = store.service(spec.name());
        PortGuard.check(spec, current, store.services(), apiPort.getAsInt(), ingressAddress);
        if (!cluster.imagePresent(spec.image())) {
            throw new OrchestratorException(ErrorCode.UNSCHEDULABLE, "image " + spec.image()
                    + " is not present on any ready node and no registry is configured to pull it:"
                    + " load it first (docker load / docker pull)");
        }
        ServiceRecord saved = store.inTransaction(tx -> {
            ServiceRecord r = tx.putService(spec);
            tx.append(new Event(Instant.now(), "deploy", spec.name(), null, deployMessage(current, r)));
            return r;
        });
        cluster.changed(spec.name());
        res.status(current.isPresent() ? Status.OK_200 : Status.CREATED_201);
        json(res, ServiceViews.of(saved, store.replicas(spec.name()), true));
    }

    private static String deployMessage(Optional<ServiceRecord> before, ServiceRecord after) {
        String what = after.spec().replicas() + " x " + after.spec().image() + ", revision " + after.revision();
        if (before.isEmpty()) {
            return "Service " + after.name() + " deployed (" + what + ")";
        }
        return before.get().revision() == after.revision() ? "Service " + after.name() + " unchanged (" + what + ")"
                : "Service " + after.name() + " updated (" + what + ")";
    }

    private void list(ServerRequest req, ServerResponse res) {
        List<ReplicaRecord> rows = store.replicas();
        json(res, store.services().stream()
                .map(s -> ServiceViews.of(s, rows.stream().filter(r -> r.service().equals(s.name())).toList(), false))
                .toList());
    }

    private void get(ServerRequest req, ServerResponse res) {
        ServiceRecord s = service(req);
        json(res, ServiceViews.of(s, store.replicas(s.name()), true));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        String name = name(req);
        boolean deleted = store.inTransaction(tx -> {
            boolean d = tx.deleteService(name);
            if (d) {
                tx.append(new Event(Instant.now(), "deploy", name, null, "Service " + name + " removed"));
            }
            return d;
        });
        if (!deleted) {
            throw notFound(name);
        }
        cluster.changed(name);
        json(res, new Views.Deleted(name, true));
    }

    private void scale(ServerRequest req, ServerResponse res) {
        String name = name(req);
        ScaleRequest body = Json.read(body(req), ScaleRequest.class);
        if (body.replicas() == null) {
            throw OrchestratorException.invalid("replicas is required");
        }
        int n = (int) Validation.range("replicas", body.replicas(), 0, ServiceSpec.MAX_REPLICAS);
        ServiceRecord before = store.service(name).orElseThrow(() -> notFound(name));
        boolean changed = store.inTransaction(tx -> {
            boolean ok = tx.setReplicas(name, n);
            if (ok) {
                tx.append(new Event(Instant.now(), "scale", name, null, "Service " + name + " scaled from "
                        + before.spec().replicas() + " to " + n + " replicas"));
            }
            return ok;
        });
        if (!changed) {
            throw notFound(name);
        }
        cluster.changed(name);
        json(res, ServiceViews.of(service(req), store.replicas(name), false));
    }

    private void logs(ServerRequest req, ServerResponse res) {
        ServiceRecord s = service(req);
        int tail = intParam(req, "tail", 100, 1, 10_000);
        record Line(Instant at, String text) {
        }
        var lines = new ArrayList<Line>();
        for (ReplicaRecord r : store.replicas(s.name())) {
            if (r.containerId() == null) {
                continue;
            }
            String prefix = Containers.replicaName(r.service(), r.index()) + " | ";
            for (LogLine l : cluster.logs(r, tail)) {
                lines.add(new Line(l.timestamp() == null ? Instant.EPOCH : l.timestamp(), prefix + l.text()));
            }
        }
        lines.sort(Comparator.comparing(Line::at));
        var body = new StringBuilder();
        lines.forEach(l -> body.append(l.text()).append('\n'));
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private void events(ServerRequest req, ServerResponse res) {
        EventQuery q = EventQuery.latest().withLimit(intParam(req, "limit", 100, 1, 10_000));
        Optional<String> service = req.query().first("service").asOptional();
        if (service.isPresent()) {
            q = q.withService(Validation.dnsLabel("service", service.get()));
        }
        Optional<String> since = req.query().first("since").asOptional();
        if (since.isPresent()) {
            try {
                q = q.withSince(Instant.parse(since.get()));
            } catch (DateTimeParseException e) {
                throw OrchestratorException.invalid("since must be an ISO-8601 instant like 2024-01-15T10:23:45Z, got '"
                        + since.get() + "'");
            }
        }
        json(res, store.events(q).stream().map(e -> new Views.Event(e.timestamp().toString(), e.type(), e.service(),
                e.container(), e.message())).toList());
    }

    private void nodes(ServerRequest req, ServerResponse res) {
        List<ReplicaRecord> rows = store.replicas();
        Map<String, ServiceSpec> specs = specs();
        json(res, store.nodes().stream().map(n -> view(n, rows, specs)).toList());
    }

    private void availability(ServerRequest req, ServerResponse res, String availability) {
        String node = Validation.dnsLabel("node name", req.path().pathParameters().get("node"));
        cluster.setAvailability(node, availability);
        json(res, view(store.node(node).orElseThrow(), store.replicas(), specs()));
    }

    private Map<String, ServiceSpec> specs() {
        return store.services().stream().collect(Collectors.toMap(ServiceRecord::name, ServiceRecord::spec));
    }

    private Views.Node view(NodeRecord n, List<ReplicaRecord> rows, Map<String, ServiceSpec> specs) {
        int count = (int) rows.stream().filter(r -> n.name().equals(r.node()) && r.containerId() != null).count();
        long cpu = 0;
        long memory = 0;
        for (var a : store.assignmentsOf(n.name())) {
            ServiceSpec spec = specs.get(a.service());
            if (spec != null && a.node().equals(n.name())) {
                cpu += spec.resources().cpuShares();
                memory += spec.resources().memoryBytes();
            }
        }
        return new Views.Node(n.name(), n.address(), n.status(), n.availability(), n.cpus(), n.memoryBytes(), cpu,
                memory, n.runtimeVersion(), count, n.labels(),
                n.lastHeartbeat() == null ? null : n.lastHeartbeat().toString(), n.name().equals(ownNode),
                cluster.gateway().registry().usage(n.name())
                        .map(u -> new Views.Usage(u.containers(), u.load1(), u.memoryAvailableBytes())).orElse(null));
    }

    private ServiceRecord service(ServerRequest req) {
        String name = name(req);
        return store.service(name).orElseThrow(() -> notFound(name));
    }

    private static String name(ServerRequest req) {
        return Validation.dnsLabel("service name", req.path().pathParameters().get("name"));
    }

    private static OrchestratorException notFound(String name) {
        return new OrchestratorException(ErrorCode.NOT_FOUND, "no service named '" + name + "'");
    }

    private static int intParam(ServerRequest req, String name, int fallback, int min, int max) {
        Optional<String> v = req.query().first(name).asOptional();
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return (int) Validation.range(name, Long.parseLong(v.get()), min, max);
        } catch (NumberFormatException e) {
            throw OrchestratorException.invalid(name + " must be an integer in " + min + ".." + max + ", got '"
                    + v.get() + "'");
        }
    }

    private static byte[] body(ServerRequest req) {
        return req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
    }

    private static void json(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body));
    }
}
