package dev.orchestrator.cli;

import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.app.EventRetention;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.kernel.PluginSettings;
import dev.orchestrator.server.ControlPlane;
import dev.orchestrator.server.ServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/** {@code orchestrator server}: runs the control plane until SIGTERM or SIGINT. */
final class ServerCommand implements Command {
    /** The server's flags with their settings; NodeFlags.FLAGS and Logging.FLAGS follow. */
    static final List<NodeFlags.Flag> FLAGS = Stream.concat(Stream.of(
            new NodeFlags.Flag("port", Settings.SERVER_PORT), new NodeFlags.Flag("bind", Settings.SERVER_BIND),
            new NodeFlags.Flag("data-dir", Settings.SERVER_DATA_DIR),
            new NodeFlags.Flag("plugins-dir", Settings.PLUGINS_DIR),
            new NodeFlags.Flag("node-name", Settings.NODE_NAME),
            new NodeFlags.Flag("advertise-address", Settings.NODE_ADVERTISE_ADDRESS),
            new NodeFlags.Flag("no-local-node", Settings.SERVER_LOCAL_NODE),
            new NodeFlags.Flag("node-timeout", Settings.SERVER_NODE_TIMEOUT),
            new NodeFlags.Flag("scheduler", Settings.SERVER_SCHEDULER),
            new NodeFlags.Flag("cpu-overcommit", Settings.SERVER_CPU_OVERCOMMIT),
            new NodeFlags.Flag("admin-password-file", Settings.SERVER_ADMIN_PASSWORD_FILE),
            new NodeFlags.Flag("tls-cert", Settings.SERVER_TLS_CERT), new NodeFlags.Flag("tls-key", Settings.SERVER_TLS_KEY),
            new NodeFlags.Flag("cluster-port", Settings.SERVER_CLUSTER_PORT),
            new NodeFlags.Flag("events-max-count", Settings.EVENTS_MAX_COUNT),
            new NodeFlags.Flag("events-max-age", Settings.EVENTS_MAX_AGE)),
            Stream.concat(NodeFlags.FLAGS.stream(), Logging.FLAGS.stream())).toList();
    private static final Set<String> SWITCHES = Set.of("no-local-node");
    /** The largest admin password file read. */
    private static final long MAX_PASSWORD_FILE = 64 * 1024;

    private final Env env;

    /** @param env the environment variables the settings may come from */
    ServerCommand(Env env) {
        this.env = env;
    }

    /**
     * What one run is given.
     *
     * @param options the server's options
     * @param plugins the plugins' settings
     * @param file    the config file read, if any
     * @param log     the log's level and format
     * @param adminPasswordFile where user {@code admin}'s password is read from, if anywhere
     */
    record Plan(ServerOptions options, PluginSettings plugins, Optional<Path> file, Logging.Options log,
                Optional<Path> adminPasswordFile) {
    }

    @Override
    public String name() {
        return "server";
    }

    @Override
    public String summary() {
        return "Run the control plane (REST API, scheduler) with its local node";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator server [--config FILE] [--port PORT] [--bind ADDRESS] [--data-dir DIR]
                                           [--plugins-dir DIR] [--node-name NAME] [--advertise-address IP]
                                           [--no-local-node] [--node-timeout DURATION] [--scheduler NAME]
                                           [--cpu-overcommit F] [--events-max-count N] [--events-max-age DURATION]
                                           [--admin-password-file FILE] [--tls-cert FILE --tls-key FILE]
                                           [--cluster-port PORT|off] [--cpus N] [--memory SIZE] [--label KEY=VALUE]...
                                           [--ingress-address IP] [--runtime NAME] [--load-balancer NAME]
                                           [--log-level LEVEL] [--log-format text|json]

                Runs the control plane (REST API, state store, scheduler) and the server's own
                node (the same node runtime as an agent's), whose containers run on this
                machine's Docker engine. Other machines join
                as agents (orchestrator agent --server URL --token $(orchestrator token)).
                Stops cleanly on SIGTERM or Ctrl-C; containers keep running and are adopted at
                the next start.

                Nodes reach the server over TLS on the cluster port: on its first start the
                server makes a cluster CA (<data-dir>/cluster-ca), join tokens carry the CA's
                fingerprint, and an agent verifies the server by it before it sends anything.
                A joining node receives its own credential; orchestrator node rm NAME revokes it.

                On the first start without ORCHESTRATOR_ADMIN_PASSWORD or --admin-password-file,
                a password for user 'admin' is generated and printed once. Either of them sets
                (or resets) it at every start, and gives 'admin' the admin role back. Only a
                salted PBKDF2 hash is stored. Other users: orchestrator user --help.

                Options:
                  --port PORT              REST API port (default 8080)
                  --bind ADDRESS           address the API listens on (default 0.0.0.0)
                  --data-dir DIR           state directory (default <install>/data)
                  --plugins-dir DIR        drop-in plugins (default <install>/plugins)
                  --node-name NAME         name of the local node (default: the host name)
                  --advertise-address IP   address other nodes reach the local node's replicas at; their
                                           host ports bind to it (default: --bind when it is one address,
                                           else the address of the default route's interface)
                  --no-local-node          run no containers on this machine: a control plane only
                  --node-timeout DURATION  an agent without a heartbeat for this long is down and its
                                           replicas are rescheduled (default 5s)
                  --scheduler NAME         strategy of services that name none: spread or binpack (default spread)
                  --cpu-overcommit F       CPU shares a node accepts per CPU, as a multiple of 1024: shares are
                                           relative weights, so they may exceed the CPUs (default 4)
                  --events-max-count N     events kept, the newest first (default 10000)
                  --events-max-age D       events older than this are deleted (default 168h)
                  --admin-password-file FILE  user admin's password: the file's first line (as
                                           a container secret would hold it); excludes
                                           ORCHESTRATOR_ADMIN_PASSWORD
                  --tls-cert FILE          serve the API over HTTPS with this PEM
                                           certificate chain; clients then use https:// URLs (CLI
                                           --ca-cert, agent --ca-cert for a private CA)
                  --tls-key FILE           the certificate's private key (unencrypted PKCS#8 PEM)
                  --cluster-port PORT|off  port nodes reach the server at over TLS certified by the
                                           cluster CA (default 7443; with --port 0, any free port);
                                           off: nodes use the API's port and scheme instead
                """ + NodeFlags.HELP + Logging.HELP + NodeFlags.keysHelp(FLAGS);
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Plan plan = plan(argv, env.vars(), Home.configFile());
        String adminPassword = adminPassword(plan, env.vars());
        // Before anything logs: plugins, the store, Helidon.
        Logging.configure(plan.log(), System.err, adminPassword == null ? List.of() : List.of(adminPassword));
        ServerOptions options = plan.options();
        PluginManager plugins = PluginManager.discover(options.pluginsDir(), plan.plugins());
        // A name that is not installed fails now, not when the local node starts (never, with
        // --no-local-node); a pure control plane needs no runtime driver unless one is named.
        if (options.localNode() || options.runtime() != null) {
            plugins.select(PluginKind.RUNTIME, options.runtime());
        }
        plugins.select(PluginKind.LOAD_BALANCER, options.loadBalancer());
        plan.file().ifPresent(f -> out.println("orchestrator server: config file " + f));
        ControlPlane plane = ControlPlane.start(options, plugins, out, adminPassword);
        out.println("orchestrator server listening on " + (options.tls() == null ? "http" : "https") + "://"
                + options.bindAddress() + ":" + plane.port() + (plane.clusterPort() == ServerOptions.CLUSTER_TLS_OFF
                ? "" : "; nodes join over TLS on port " + plane.clusterPort()));
        awaitShutdown(plane::stop);
        return 0;
    }

    /**
     * Resolves the options: each from its flag, its environment variable, the config file or the default.
     *
     * @param argv        the arguments after {@code server}
     * @param vars        the environment variables
     * @param defaultFile the config file read when none is named
     * @return what the run is given
     * @throws CliException for a bad flag, variable or file
     */
    static Plan plan(List<String> argv, Map<String, String> vars, Path defaultFile) {
        Set<String> valued = new HashSet<>(Set.of("config"));
        FLAGS.stream().map(NodeFlags.Flag::name).filter(f -> !SWITCHES.contains(f)).forEach(valued::add);
        Args args = Args.parse(argv, valued, SWITCHES);
        if (!args.positionals().isEmpty()) {
            throw new CliException("server takes no arguments, got '" + args.positionals().getFirst() + "'");
        }
        Configuration c = Configuration.load(args, vars, defaultFile);
        String bind = c.text(Settings.SERVER_BIND, "bind", "0.0.0.0");
        int port = c.integer(Settings.SERVER_PORT, "port", 8080);
        var options = new ServerOptions(bind, port,
                c.path(Settings.SERVER_DATA_DIR, "data-dir", Home.dir().resolve("data")),
                c.path(Settings.PLUGINS_DIR, "plugins-dir", Home.dir().resolve("plugins")),
                c.value(Settings.NODE_NAME, "node-name").orElseGet(ServerCommand::hostName),
                c.text(Settings.NODE_ADVERTISE_ADDRESS, "advertise-address", LocalAddress.forServer(bind)),
                c.enabled(Settings.SERVER_LOCAL_NODE, "no-local-node", true),
                c.text(Settings.NODE_INGRESS_ADDRESS, "ingress-address", "0.0.0.0"),
                c.integer(Settings.NODE_CPUS, "cpus", 0), c.size(Settings.NODE_MEMORY, "memory"), c.labels("label"),
                c.duration(Settings.SERVER_NODE_TIMEOUT, "node-timeout", Duration.ofSeconds(5)),
                c.text(Settings.SERVER_SCHEDULER, "scheduler", "spread"),
                c.number(Settings.SERVER_CPU_OVERCOMMIT, "cpu-overcommit", ServerOptions.DEFAULT_CPU_OVERCOMMIT),
                c.value(Settings.NODE_RUNTIME, "runtime").orElse(null),
                c.text(Settings.NODE_LOAD_BALANCER, "load-balancer", NodeFlags.DEFAULT_LOAD_BALANCER),
                new EventRetention(c.integer(Settings.EVENTS_MAX_COUNT, "events-max-count",
                        EventRetention.DEFAULT.maxCount()),
                        c.duration(Settings.EVENTS_MAX_AGE, "events-max-age", EventRetention.DEFAULT.maxAge())),
                NodeFlags.logs(c), tls(c), clusterPort(c, port));
        return new Plan(options, c.plugins(), c.file(), Logging.options(c),
                c.value(Settings.SERVER_ADMIN_PASSWORD_FILE, "admin-password-file").map(Path::of));
    }

    /**
     * @return the port nodes reach the server at over the cluster's TLS: {@code --cluster-port},
     *         else 7443, or an ephemeral one beside an ephemeral API port ({@code --port 0});
     *         {@code off} for none (nodes then use the API's port)
     */
    private static int clusterPort(Configuration c, int apiPort) {
        String v = c.value(Settings.SERVER_CLUSTER_PORT, "cluster-port")
                .orElse(apiPort == 0 ? "0" : String.valueOf(ServerOptions.DEFAULT_CLUSTER_PORT));
        return v.equals("off") ? ServerOptions.CLUSTER_TLS_OFF : Integer.parseInt(v);
    }

    /** @return the API's TLS files, or null for plain HTTP; both or neither */
    private static ServerOptions.TlsFiles tls(Configuration c) {
        var cert = c.value(Settings.SERVER_TLS_CERT, "tls-cert");
        var key = c.value(Settings.SERVER_TLS_KEY, "tls-key");
        if (cert.isPresent() != key.isPresent()) {
            throw new CliException("--tls-cert and --tls-key go together: give both, or neither for plain HTTP");
        }
        return cert.map(f -> new ServerOptions.TlsFiles(Path.of(f), Path.of(key.get()))).orElse(null);
    }

    /**
     * @param plan the run's plan
     * @param vars the environment variables
     * @return user admin's password from the environment or the password file, or null for none
     * @throws CliException when both are given, or the file cannot be read or has an empty first line
     */
    static String adminPassword(Plan plan, Map<String, String> vars) {
        String fromEnv = vars.get(ControlPlane.ADMIN_PASSWORD_ENV);
        if (plan.adminPasswordFile().isEmpty()) {
            return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
        }
        Path file = plan.adminPasswordFile().get();
        if (fromEnv != null && !fromEnv.isEmpty()) {
            throw new CliException("--admin-password-file and " + ControlPlane.ADMIN_PASSWORD_ENV
                    + " exclude each other: set one");
        }
        try {
            if (java.nio.file.Files.size(file) > MAX_PASSWORD_FILE) {
                throw new CliException("--admin-password-file " + file + ": larger than " + MAX_PASSWORD_FILE
                        + " bytes: not a password file");
            }
        } catch (java.io.IOException e) {
            throw new CliException("--admin-password-file " + file + ": cannot read it ("
                    + e.getClass().getSimpleName() + ")");
        }
        try (var lines = java.nio.file.Files.lines(file)) {
            String first = lines.findFirst().orElse("").strip();
            if (first.isEmpty()) {
                throw new CliException("--admin-password-file " + file + ": the first line is empty");
            }
            return first;
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new CliException("--admin-password-file " + file + ": cannot read it ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /** The host name as a DNS label: lower case, other characters as '-', at most 63. */
    static String hostName() {
        String h;
        try {
            h = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            h = "local";
        }
        String label = h.toLowerCase(java.util.Locale.ROOT).split("\\.")[0].replaceAll("[^a-z0-9-]", "-")
                .replaceAll("^-+|-+$", "");
        label = label.length() > 63 ? label.substring(0, 63).replaceAll("-+$", "") : label;
        return label.isEmpty() ? "local" : label;
    }

    /** Blocks until SIGTERM or SIGINT, then runs {@code stop}. */
    static void awaitShutdown(Runnable stop) {
        var done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            done.countDown();
        }, "shutdown"));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
