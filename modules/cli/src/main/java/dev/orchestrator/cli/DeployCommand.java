package dev.orchestrator.cli;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import dev.orchestrator.api.Validation;
import dev.orchestrator.scheduler.Constraint;
import dev.orchestrator.wire.DeployRequest;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code orchestrator deploy}: turns flags into the request of {@code POST /api/deploy}, validated
 * locally first, sends it, then follows the rollout until every replica runs the new revision.
 */
final class DeployCommand extends ClientCommand {
    private static final Set<String> VALUED = Stream.concat(Stream.of("name", "image", "replicas", "port", "env",
            "memory", "cpu-shares", "restart", "health-http", "health-tcp", "health-cmd", "health-interval",
            "health-timeout", "health-retries", "health-start-period", "timeout", "constraint", "strategy",
            "max-per-node", "network", "lb", "stop-signal", "stop-grace-period", "pull", "stop-after-disconnect"),
            UpdateFlags.OPTIONS.stream()).collect(Collectors.toUnmodifiableSet());
    private static final Set<String> SWITCHES = Set.of("detach", "wait");
    private static final List<String> PROBES = List.of("health-http", "health-tcp", "health-cmd");
    private static final List<String> PROBE_SETTINGS = List.of("health-interval", "health-timeout", "health-retries",
            "health-start-period");
    private static final Pattern PORT = Pattern.compile("(?:([0-9]{1,5}):)?([0-9]{1,5})(?:/([a-zA-Z]+))?");
    private static final Pattern ZERO = Pattern.compile("0+(ms|s|m|h)");
    private static final long MIB = 1L << 20;

    DeployCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "deploy";
    }

    @Override
    public String summary() {
        return "Create or update a service and follow its rollout until its replicas run";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator deploy --name NAME --image IMAGE [options] [-- COMMAND [ARG...]]

                Creates the service NAME, or updates it if it exists (POST /api/deploy), then waits
                until as many replicas run as desired and prints e.g. 'api-server: 3/3 running'.
                An update that changes anything but the replica count (or the --update-* settings,
                or --stop-after-disconnect) is a new revision: the server replaces the replicas batch by batch as the
                --update-* settings say (by default one at a time, each new container started
                before the old one is stopped), and on failure rolls back to the revision before.
                Meanwhile deploy prints e.g. 'api-server: revision 3: 1/3 updated, 1 healthy'
                whenever the counts change. Everything after '--' replaces the image's command (an
                argv: no shell is involved).
                Flags are checked before anything is sent; the server checks them again.

                Options:
                  --name NAME          service name: 1-63 characters of a-z, 0-9 and '-', not starting
                                       or ending with '-'; replicas are named NAME-0, NAME-1, ...
                  --image IMAGE        image reference, e.g. myapp:latest or registry:5000/team/app:1.2
                  --replicas N         desired replicas, 0..1000 (default 1)
                  --port [HOST:]CONTAINER[/tcp|udp]
                                       a port the container listens on (tcp by default); with HOST it
                                       is published on every node at HOST, where the node's load
                                       balancer spreads connections over the replicas; without HOST
                                       it is not published. udp ports cannot be published. Repeatable.
                  --env KEY=VALUE      environment variable ([A-Za-z_][A-Za-z0-9_]* keys). Repeatable.
                  --memory SIZE        memory limit per replica: bytes, or with k, m, g (binary), e.g.
                                       512m; rounded up to whole MiB, at least 6m
                  --cpu-shares N       relative CPU weight per replica, 2..262144 (1024: one CPU's worth)
                  --restart POLICY     always (default), on-failure or never
                Placement (over the nodes; see orchestrator nodes):
                  --constraint EXPR    only nodes matching EXPR: node.labels.KEY==VALUE, node.labels.KEY!=VALUE,
                                       node.name==NAME or node.name!=NAME. Repeatable (all must hold).
                  --strategy NAME      scheduler strategy: spread (least allocated, fewest replicas of the
                                       service; the default) or binpack (most allocated first)
                  --max-per-node N     at most N replicas of the service on one node, 1..1000 (default: no limit)
                Networking (see docs/networking.md):
                  --network NAME       a managed network the replicas join; services that share a network
                                       reach each other by name, others cannot. Repeatable, at most 8
                                       (default: the network 'default')
                  --lb POLICY          how the load balancer picks a replica for a new connection:
                                       round-robin (default), least-connections, random or hash (the
                                       client's address always goes to the same replica)
                Image:
                  --pull POLICY        when nodes pull the image from its registry: if-not-present
                                       (default: when a node does not have it), always (before every
                                       new container) or never (it must be loaded on the nodes);
                                       credentials: orchestrator registry login
                Stopping (an update, a scale-down, a removal):
                  --stop-signal SIG    the signal that asks a replica to stop, e.g. SIGQUIT (default SIGTERM)
                  --stop-grace-period D  how long a replica gets after it before it is killed, 0s..1h
                                       (default 10s)
                Node failures (see docs/reliability.md):
                  --stop-after-disconnect D  fencing, 1s..1h: a node that has lost the server for D
                                       stops the service's replicas itself, and the server starts
                                       them on another node only once the node's last report is D
                                       plus the stop grace period plus 2s old, so two copies of a
                                       replica never run at once. Changing only this makes no new
                                       revision.
                                       Default: none (availability first: the replicas of a node
                                       that is down start elsewhere at once, while the lost node's
                                       copies may still run)
                Health check (at most one of the three probes; none: a running replica is healthy):
                  --health-http URL    HTTP GET of URL; host localhost is the replica itself
                  --health-tcp PORT    TCP connection to the replica's PORT
                  --health-cmd CMD     run CMD inside the replica, healthy on exit status 0; split on
                                       whitespace, with '...' and "..." quoting, no shell
                  --health-interval DURATION       time between probes (default 10s)
                  --health-timeout DURATION        time one probe may take, <= interval (default 2s)
                  --health-retries N               failures in a row that make a replica unhealthy,
                                                   1..100 (default 3)
                  --health-start-period DURATION   failures ignored after a replica starts (default 0s)
                Rollout (how a new revision replaces the replicas; see docs/api.md):
                """ + UpdateFlags.HELP + """
                Waiting:
                """ + Rollout.DEPLOY_HELP + "\n" + ApiClient.HELP + """

                Durations are a number and a unit: 500ms, 10s, 5m, 1h.
                Exit status: 0 once the rollout succeeded and every replica runs (or the request is
                accepted, with --detach), 1 if the server refuses it, cannot be reached, the
                rollout was rolled back or paused, or the wait times out, 2 for bad flags.

                Example:
                  orchestrator deploy --name api-server --image myapp:latest --replicas 3 \\
                      --port 8080:8080 --memory 512m --cpu-shares 1024 \\
                      --health-http http://localhost:8080/health
                """;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, VALUED, SWITCHES);
        Plan plan = plan(args);
        try (ApiClient api = connect(args)) {
            var r = api.post("/api/deploy", plan.request(), Views.Service.class);
            long revision = r.value().revision();
            out.println(plan.name() + ": " + (r.status() == 201 ? "created" : "updated") + ", revision " + revision);
            return plan.detach() ? 0 : Rollout.await(api, plan.name(), revision, plan.timeout(), out);
        }
    }

    /**
     * What {@code deploy} will do.
     *
     * @param name    the service
     * @param request the body of {@code POST /api/deploy}
     * @param detach  true to return without waiting
     * @param timeout how long to wait
     */
    record Plan(String name, DeployRequest request, boolean detach, Duration timeout) {
        /** @return the JSON sent */
        String body() {
            return new String(Wire.writeRequest(request), StandardCharsets.UTF_8);
        }
    }

    /**
     * Parses and checks deploy's arguments (connection options are allowed and ignored).
     *
     * @param argv the arguments after {@code deploy}
     * @return the request to send and how to wait
     * @throws CliException for any bad flag
     */
    static Plan plan(List<String> argv) {
        return plan(parse(argv, VALUED, SWITCHES));
    }

    private static Plan plan(Args args) {
        if (!args.leading().isEmpty()) {
            throw new CliException("deploy takes options only, got '" + args.leading().getFirst()
                    + "' (a command goes after '--')");
        }
        String name = validName("--name", required(args, "name"));
        String image = local(() -> Validation.imageRef("--image", required(args, "image")));
        Integer replicas = args.value("replicas").isPresent()
                ? intOption(args, "replicas", 0, ServiceSpec.MAX_REPLICAS, 1) : null;
        List<PortMapping> ports = args.values("port").stream().map(DeployCommand::port).toList();
        Map<String, String> env = env(args.values("env"));
        long memoryMb = memoryMb(args);
        int cpuShares = intOption(args, "cpu-shares", 2, 262_144, 0);
        RestartPolicy restart = args.value("restart").map(DeployCommand::restart).orElse(null);
        HealthCheckSpec health = health(args);
        List<String> command = args.trailing();
        Duration timeout = args.value("timeout").map(t -> duration("--timeout", t)).orElse(Rollout.DEFAULT_TIMEOUT);

        // The server's own rules, through the same records, for what one flag cannot show
        // (a port listed twice, a timeout longer than the interval).
        List<String> constraints = args.values("constraint");
        local(() -> Constraint.parseAll(constraints));
        String strategy = args.value("strategy").map(v -> local(() -> Validation.dnsLabel("--strategy", v)))
                .orElse(null);
        Integer maxPerNode = args.value("max-per-node").isPresent()
                ? intOption(args, "max-per-node", 1, ServiceSpec.MAX_REPLICAS, 0) : null;
        List<String> networks = args.values("network");
        String lb = args.value("lb").map(v -> local(() -> Validation.dnsLabel("--lb", v))).orElse(null);
        String stopSignal = args.value("stop-signal").orElse(null);
        Duration grace = args.value("stop-grace-period")
                .map(t -> t.matches("0+(ms|s|m|h)?") ? Duration.ZERO : duration("--stop-grace-period", t)).orElse(null);
        UpdateConfig update = UpdateFlags.parse(args);
        Duration fence = args.value("stop-after-disconnect").map(t -> duration("--stop-after-disconnect", t))
                .orElse(null);
        ServiceSpec spec = local(() -> new ServiceSpec(name, image, replicas == null ? 1 : replicas, ports,
                new Resources(cpuShares, memoryMb * MIB), health, env, command, restart, constraints, strategy,
                maxPerNode, networks, lb, stopSignal, grace, args.value("pull").orElse(null), update, fence));
        return new Plan(name, request(spec, replicas != null, restart != null), detach(args), timeout);
    }

    /**
     * @param args parsed arguments
     * @return true for {@code --detach}; {@code --wait}, the default, may be said explicitly
     * @throws CliException if both are given
     */
    static boolean detach(Args args) {
        if (args.flag("detach") && args.flag("wait")) {
            throw new CliException("--wait and --detach exclude each other");
        }
        return args.flag("detach");
    }

    /**
     * The request: what the user gave, nothing else (the server applies its own defaults), except
     * that a health check always states its interval, timeout and retries, as in the seed's example.
     * Absent fields are null, and not sent.
     */
    private static DeployRequest request(ServiceSpec spec, boolean replicasGiven, boolean restartGiven) {
        Resources r = spec.resources();
        return new DeployRequest(spec.name(), spec.image(), replicasGiven ? spec.replicas() : null,
                spec.ports().isEmpty() ? null : spec.ports().stream()
                        .map(p -> new DeployRequest.Port(p.containerPort(), p.hostPort(), p.protocol())).toList(),
                r.cpuShares() == 0 && r.memoryBytes() == 0 ? null : new DeployRequest.ResourcesBody(
                        r.cpuShares() == 0 ? null : r.cpuShares(), r.memoryBytes() == 0 ? null : r.memoryBytes() / MIB),
                spec.healthCheck() == null ? null : healthCheck(spec.healthCheck()),
                spec.env().isEmpty() ? null : spec.env(), spec.command().isEmpty() ? null : spec.command(),
                restartGiven ? spec.restartPolicy().wireName() : null,
                spec.constraints().isEmpty() ? null : spec.constraints(), spec.strategy(), spec.maxPerNode(),
                spec.networks().isEmpty() ? null : spec.networks(), spec.loadBalancer(), spec.stopSignal(),
                spec.stopGracePeriod() == null ? null : Validation.format(spec.stopGracePeriod()),
                spec.pullPolicy(), DeployRequest.Update.from(spec.update()),
                spec.stopAfterDisconnect() == null ? null : Validation.format(spec.stopAfterDisconnect()));
    }

    private static String required(Args args, String option) {
        return args.value(option).orElseThrow(() -> new CliException("deploy needs --" + option
                + " (see orchestrator deploy --help)"));
    }

    /** {@code 8080:80}, {@code 8080:80/tcp}, {@code 80} (not published), {@code 53/udp}. */
    static PortMapping port(String text) {
        Matcher m = PORT.matcher(text.trim());
        if (!m.matches()) {
            throw new CliException("--port must be [HOST:]CONTAINER[/tcp|udp], e.g. 8080:8080 or 9000,"
                    + " got '" + text + "'");
        }
        int container = Integer.parseInt(m.group(2));
        local(() -> Validation.port("--port " + text + ": container port", container));
        int host = 0;
        if (m.group(1) != null) {
            host = Integer.parseInt(m.group(1));
            int h = host;
            local(() -> Validation.port("--port " + text + ": host port", h));
        }
        String protocol = m.group(3) == null ? "tcp" : m.group(3).toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new CliException("--port " + text + ": protocol must be tcp or udp, got '" + m.group(3) + "'");
        }
        if (protocol.equals("udp") && host != 0) {
            throw new CliException("--port " + text + ": udp ports cannot be published (drop the host port)");
        }
        return new PortMapping(container, host, protocol);
    }

    private static Map<String, String> env(List<String> pairs) {
        var env = new LinkedHashMap<String, String>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new CliException("--env must be KEY=VALUE, got '" + pair + "'");
            }
            String key = local(() -> Validation.envKey("--env key", pair.substring(0, eq)));
            env.put(key, pair.substring(eq + 1));
        }
        return env;
    }

    private static long memoryMb(Args args) {
        if (args.value("memory").isEmpty()) {
            return 0;
        }
        String text = args.value("memory").get();
        long bytes = local(() -> Validation.size("--memory", text));
        long mb = (bytes + MIB - 1) / MIB;
        if (mb < 6 || mb > 1L << 20) {
            throw new CliException("--memory must be between 6m and 1024g, got '" + text + "'");
        }
        return mb;
    }

    private static RestartPolicy restart(String text) {
        try {
            return RestartPolicy.parse(text);
        } catch (OrchestratorException e) {
            throw new CliException("--restart must be always, on-failure or never, got '" + text + "'");
        }
    }

    private static HealthCheckSpec health(Args args) {
        List<String> probes = PROBES.stream().filter(p -> args.value(p).isPresent()).toList();
        if (probes.size() > 1) {
            throw new CliException("--" + probes.get(0) + " and --" + probes.get(1) + " exclude each other:"
                    + " a service has one health check");
        }
        if (probes.isEmpty()) {
            PROBE_SETTINGS.stream().filter(s -> args.value(s).isPresent()).findFirst().ifPresent(s -> {
                throw new CliException("--" + s + " needs a probe: --health-http, --health-tcp or --health-cmd");
            });
            return null;
        }
        String type = switch (probes.getFirst()) {
            case "health-http" -> "http";
            case "health-tcp" -> "tcp";
            default -> "exec";
        };
        String endpoint = type.equals("http") ? httpUrl(args.value("health-http").orElseThrow()) : null;
        int port = type.equals("tcp") ? intOption(args, "health-tcp", 1, 65535, 0) : 0;
        List<String> command = type.equals("exec") ? ShellWords.split(args.value("health-cmd").orElseThrow())
                : List.of();
        if (type.equals("exec") && command.isEmpty()) {
            throw new CliException("--health-cmd needs a command, got an empty one");
        }
        Duration interval = args.value("health-interval").map(t -> duration("--health-interval", t))
                .orElse(HealthCheckSpec.DEFAULT_INTERVAL);
        Duration timeout = args.value("health-timeout").map(t -> duration("--health-timeout", t))
                .orElse(HealthCheckSpec.DEFAULT_TIMEOUT);
        int retries = intOption(args, "health-retries", 1, 100, HealthCheckSpec.DEFAULT_RETRIES);
        Duration startPeriod = args.value("health-start-period").map(DeployCommand::startPeriod)
                .orElse(Duration.ZERO);
        return local(() -> new HealthCheckSpec(type, endpoint, port, command, interval, timeout, retries,
                startPeriod));
    }

    private static String httpUrl(String text) {
        try {
            URI u = new URI(text);
            if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
                return text;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new CliException("--health-http must be an http:// URL such as http://localhost:8080/health,"
                + " got '" + text + "'");
    }

    private static Duration duration(String option, String text) {
        return local(() -> Validation.duration(option, text));
    }

    /** Like {@link #duration}, but zero (the default) is allowed. */
    private static Duration startPeriod(String text) {
        return ZERO.matcher(text.trim()).matches() ? Duration.ZERO : duration("--health-start-period", text);
    }

    private static DeployRequest.HealthCheck healthCheck(HealthCheckSpec h) {
        return new DeployRequest.HealthCheck(h.type(), h.type().equals("http") ? h.endpoint() : null,
                h.type().equals("tcp") ? h.port() : null, h.type().equals("exec") ? h.command() : null,
                Validation.format(h.interval()), Validation.format(h.timeout()), h.retries(),
                // Zero is the server's default, and "0s" is not a valid duration on the wire.
                h.startPeriod().isZero() ? null : Validation.format(h.startPeriod()));
    }

    /** @return every option deploy takes, for tests */
    static List<String> options() {
        return Stream.concat(VALUED.stream(), SWITCHES.stream()).sorted().toList();
    }
}
