package dev.orchestrator.cli;

import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.server.ControlPlane;
import dev.orchestrator.server.ServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code orchestrator server}: runs the control plane until SIGTERM or SIGINT. */
final class ServerCommand implements Command {
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
                Usage: orchestrator server [--port PORT] [--bind ADDRESS] [--data-dir DIR] [--plugins-dir DIR]
                                           [--node-name NAME] [--advertise-address IP] [--no-local-node]
                                           [--node-timeout DURATION] [--scheduler NAME] [--cpu-overcommit F]
                                           [--cpus N] [--memory SIZE] [--label KEY=VALUE]... [--ingress-address IP]

                Runs the control plane (REST API, state store, scheduler) and the embedded local
                node, whose containers run on this machine's Docker engine. Other machines join
                as agents (orchestrator agent --server URL --token $(orchestrator token)).
                Stops cleanly on SIGTERM or Ctrl-C; containers keep running and are adopted at
                the next start.

                On the first start without ORCHESTRATOR_ADMIN_PASSWORD, a password for user
                'admin' is generated and printed once. Setting ORCHESTRATOR_ADMIN_PASSWORD sets
                (or resets) it. Only a salted PBKDF2 hash is stored.

                Options:
                  --port PORT              REST API port (default 8080)
                  --bind ADDRESS           address the API listens on (default 0.0.0.0)
                  --data-dir DIR           state directory (default: $ORCHESTRATOR_DATA_DIR or <install>/data)
                  --plugins-dir DIR        drop-in plugins (default: $ORCHESTRATOR_PLUGINS_DIR or <install>/plugins)
                  --node-name NAME         name of the local node (default: the host name)
                  --advertise-address IP   address other nodes reach the local node's replicas at; their
                                           host ports bind to it (default 127.0.0.1)
                  --no-local-node          run no containers on this machine: a control plane only
                  --node-timeout DURATION  an agent without a heartbeat for this long is down and its
                                           replicas are rescheduled (default 5s)
                  --scheduler NAME         strategy of services that name none: spread or binpack (default spread)
                  --cpu-overcommit F       CPU shares a node accepts per CPU, as a multiple of 1024: shares are
                                           relative weights, so they may exceed the CPUs (default 4)
                """ + NodeFlags.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = Args.parse(argv, Set.of("port", "bind", "data-dir", "plugins-dir", "node-name",
                "advertise-address", "node-timeout", "scheduler", "cpu-overcommit", "cpus", "memory", "label", "ingress-address"),
                Set.of("no-local-node"));
        if (!args.positionals().isEmpty()) {
            throw new CliException("server takes no arguments, got '" + args.positionals().getFirst() + "'");
        }
        var options = new ServerOptions(args.value("bind").orElse("0.0.0.0"), args.intValue("port", 8080),
                args.value("data-dir").map(Path::of).orElseGet(ServerCommand::defaultDataDir),
                args.value("plugins-dir").map(Path::of).orElseGet(Home::pluginsDir),
                args.value("node-name").orElseGet(ServerCommand::hostName),
                args.value("advertise-address").orElse("127.0.0.1"), !args.flag("no-local-node"),
                args.value("ingress-address").orElse("0.0.0.0"), NodeFlags.cpus(args), NodeFlags.memory(args),
                NodeFlags.labels(args), NodeFlags.duration(args, "node-timeout", Duration.ofSeconds(5)),
                args.value("scheduler").orElse("spread"), overcommit(args), null, null);
        PluginManager plugins = PluginManager.discover(options.pluginsDir());
        ControlPlane plane = ControlPlane.start(options, plugins, out);
        out.println("orchestrator server listening on http://" + options.bindAddress() + ":" + plane.port());
        awaitShutdown(plane::stop);
        return 0;
    }

    private static double overcommit(Args args) {
        String v = args.value("cpu-overcommit").orElse(null);
        if (v == null) {
            return ServerOptions.DEFAULT_CPU_OVERCOMMIT;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new CliException("--cpu-overcommit must be a number such as 4 or 1.5, got '" + v + "'");
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

    static Path defaultDataDir() {
        String env = System.getenv("ORCHESTRATOR_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Home.dir().resolve("data");
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
