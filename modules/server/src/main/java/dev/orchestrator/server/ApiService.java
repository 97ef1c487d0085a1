package dev.orchestrator.server;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.app.Application;
import dev.orchestrator.app.Deploy;
import dev.orchestrator.app.NodeAvailability;
import dev.orchestrator.app.Queries;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogFanIn;
import dev.orchestrator.app.Remove;
import dev.orchestrator.app.Scale;
import dev.orchestrator.store.EventRecords;
import dev.orchestrator.wire.DeployRequest;
import dev.orchestrator.wire.RollbackRequest;
import dev.orchestrator.wire.ScaleRequest;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code /api} routes (docs/api.md), as HTTP only: each handler maps the path, query and
 * body to a command of {@link Application}, runs it, and maps the result to a status and JSON.
 * Refusals are {@link OrchestratorException}s, which {@link ErrorResponses} answers.
 */
final class ApiService implements HttpService {
    private static final io.helidon.http.HeaderName LAST_EVENT_ID = HeaderNames.create("Last-Event-ID");
    private final Application app;
    private final EventFollowers followers;
    private final LogFollowers logFollowers;
    private final long bodyLimit;
    private final dev.orchestrator.cluster.Observations usage;

    /**
     * @param app       the use cases
     * @param bodyLimit the largest request body, in bytes; larger ones are answered 413
     */
    ApiService(Application app, long bodyLimit) {
        this(app, bodyLimit, null);
    }

    /**
     * @param app       the use cases
     * @param bodyLimit the largest request body, in bytes; larger ones are answered 413
     * @param usage     the nodes' measurements, shown in service views; null for none
     */
    ApiService(Application app, long bodyLimit, dev.orchestrator.cluster.Observations usage) {
        this.usage = usage;
        this.app = app;
        this.followers = new EventFollowers(app.queries());
        this.logFollowers = new LogFollowers(app.queries());
        this.bodyLimit = bodyLimit;
    }

    /** Ends every event stream at once (the server is stopping). */
    void stopFollowers() {
        followers.close();
        logFollowers.close();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/deploy", this::deploy)
                .get("/services", this::list)
                .get("/services/{name}", this::get)
                .delete("/services/{name}", this::delete)
                .post("/services/{name}/scale", this::scale)
                .get("/services/{name}/revisions", this::revisions)
                .post("/services/{name}/rollback", this::rollback)
                .get("/services/{name}/logs", this::logs)
                .get("/events", this::events)
                .get("/nodes", this::nodes)
                .post("/nodes/{node}/cordon", (req, res) -> availability(req, res, Availability.CORDONED))
                .post("/nodes/{node}/uncordon", (req, res) -> availability(req, res, Availability.ACTIVE))
                .post("/nodes/{node}/drain", (req, res) -> availability(req, res, Availability.DRAINING))
                .delete("/nodes/{node}", this::removeNode)
                .register("/tokens", new TokenRoutes(app.tokens()))
                .register("/registries", new RegistryRoutes(app.registries(), this::body))
                .register("/users", new UserRoutes(app.users(), this::body))
                .get("/version", (req, res) -> json(res, new dev.orchestrator.wire.VersionView(ServerVersion.get(),
                        dev.orchestrator.cluster.Protocol.VERSIONS)))
                .get("/openapi.yaml", OpenApiDocument::send)
                .any((req, res) -> ErrorResponses.send(res, ErrorCode.NOT_FOUND,
                        "no route " + req.prologue().method().text() + " " + req.path().path() + " (see docs/api.md)"));
    }

    private void deploy(ServerRequest req, ServerResponse res) {
        var spec = Wire.read(body(req), DeployRequest.class).toSpec();
        Deploy.Result r = app.deploy().run(new Deploy.Command(spec));
        res.status(r.created() ? Status.CREATED_201 : Status.OK_200);
        json(res, ServiceViews.of(r.state(), true));
    }

    private void list(ServerRequest req, ServerResponse res) {
        json(res, app.queries().services().stream().map(s -> ServiceViews.of(s, false, usage)).toList());
    }

    private void get(ServerRequest req, ServerResponse res) {
        String name = name(req);
        var state = app.queries().service(name);
        json(res, ServiceViews.of(state, true, usage, app.queries().rollout(name).orElse(null)));
    }

    private void delete(ServerRequest req, ServerResponse res) {
        Remove.Result r = app.remove().run(new Remove.Command(name(req)));
        json(res, new Views.Deleted(r.service(), true));
    }

    private void scale(ServerRequest req, ServerResponse res) {
        String name = name(req);
        ScaleRequest body = Wire.read(body(req), ScaleRequest.class);
        json(res, ServiceViews.of(app.scale().run(new Scale.Command(name, body.replicas())), false));
    }

    private void revisions(ServerRequest req, ServerResponse res) {
        String name = name(req);
        long current = app.queries().service(name).service().revision();
        json(res, app.queries().revisions(name).stream().map(r -> new Views.Revision(r.revision(),
                r.createdAt().toString(), r.spec().image(), r.revision() == current, DeployRequest.from(r.spec())))
                .toList());
    }

    private void rollback(ServerRequest req, ServerResponse res) {
        byte[] body = body(req);
        RollbackRequest r = body.length == 0 ? new RollbackRequest(null) : Wire.read(body, RollbackRequest.class);
        Deploy.Result done = app.rollback().run(new dev.orchestrator.app.Rollback.Command(name(req), r.to()));
        json(res, ServiceViews.of(done.state(), false));
    }

    private void logs(ServerRequest req, ServerResponse res) {
        boolean follow = boolParam(req, "follow");
        boolean timestamps = boolParam(req, "timestamps");
        String since = param(req, "since");
        int tail = intParam(req, "tail", 100, 0, 100_000);
        Instant resume = req.headers().first(LAST_EVENT_ID).map(LogFollowers::resumeAfter).orElse(null);
        if (follow && resume != null) {
            since = resume.toString(); // a reconnecting client: exactly what it missed
            tail = 0;
        }
        // Validates every parameter before anything is sent: a bad one is a 400, not a broken stream.
        var query = app.queries().logQuery(new Queries.Logs(name(req), param(req, "replica"), since,
                follow ? null : param(req, "until"), tail));
        if (follow) {
            logFollowers.follow(res, query);
            return;
        }
        LogFanIn.Read read = app.queries().logs(query);
        var body = new StringBuilder();
        read.lines().forEach(l -> body.append(logLine(l, timestamps)).append('\n'));
        read.notices().forEach(n -> body.append("-- ").append(n.node()).append(": ").append(n.message()).append('\n'));
        res.header(HeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.send(body.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** @return e.g. {@code api-server-1 | listening}, with the line's time after the bar if asked */
    static String logLine(LogEntry l, boolean timestamps) {
        return l.replica() + " | " + (timestamps ? l.time() + " " : "") + l.line();
    }

    private void events(ServerRequest req, ServerResponse res) {
        var query = new Queries.Events(param(req, "service"), param(req, "type"), param(req, "node"),
                param(req, "since"), intParam(req, "limit", 100, 1, 10_000));
        boolean follow = boolParam(req, "follow");
        long resume = lastEventId(req);
        // Validates every parameter before anything is sent: a bad one is a 400, not a broken stream.
        List<EventRecords.Numbered> first = app.queries().events(query, resume);
        if (!follow) {
            json(res, first.stream().map(ApiService::view).toList());
            return;
        }
        followers.follow(res, query, first, resume);
    }

    /** @return the wire form of a stored event */
    static Views.Event view(EventRecords.Numbered n) {
        var e = n.event();
        return new Views.Event(e.timestamp().toString(), e.type(), e.service(), e.container(), e.message(), n.id(),
                e.node());
    }

    private static String param(ServerRequest req, String name) {
        return req.query().first(name).asOptional().orElse(null);
    }

    private static boolean boolParam(ServerRequest req, String name) {
        String v = param(req, name);
        if (v == null || v.equals("false")) {
            return false;
        }
        if (v.equals("true")) {
            return true;
        }
        throw OrchestratorException.invalid(name + " must be true or false, got '" + v + "'");
    }

    /** @return the {@code Last-Event-ID} header (an SSE client resuming), else 0 */
    private static long lastEventId(ServerRequest req) {
        Optional<String> v = req.headers().first(LAST_EVENT_ID);
        if (v.isEmpty() || v.get().isBlank()) {
            return 0;
        }
        try {
            long id = Long.parseLong(v.get().trim());
            if (id >= 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // the error below
        }
        throw OrchestratorException.invalid("Last-Event-ID must be an event id (a whole number), got '" + v.get()
                + "'");
    }

    private void nodes(ServerRequest req, ServerResponse res) {
        json(res, app.queries().nodes().stream().map(NodeViews::of).toList());
    }

    private void availability(ServerRequest req, ServerResponse res, Availability availability) {
        String node = req.path().pathParameters().get("node");
        json(res, NodeViews.of(app.availability().run(new NodeAvailability.Command(node, availability))));
    }

    private void removeNode(ServerRequest req, ServerResponse res) {
        String node = req.path().pathParameters().get("node");
        boolean force = boolParam(req, "force");
        json(res, new Views.Deleted(app.availability().remove(new NodeAvailability.Removal(node, force)), true));
    }

    private static String name(ServerRequest req) {
        return req.path().pathParameters().get("name");
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

    private byte[] body(ServerRequest req) {
        byte[] body = Bodies.read(req, bodyLimit);
        if (body.length > 0) {
            Bodies.requireJson(req);
        }
        return body;
    }

    /**
     * @param res  the response
     * @param body a record of {@link Views} (or a list of them)
     */
    static void json(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Wire.write(body));
    }
}
