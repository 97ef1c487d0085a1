package dev.orchestrator.cli;

import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.server.ControlPlane;
import dev.orchestrator.server.ServerOptions;
import java.io.PrintStream;
import java.nio.file.Path;
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
        return "Run the control plane (REST API) with its local node";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator server [--port PORT] [--bind ADDRESS] [--data-dir DIR] [--plugins-dir DIR]

                Runs the control plane. Stops cleanly on SIGTERM or Ctrl-C.

                Options:
                  --port PORT         REST API port (default 8080)
                  --bind ADDRESS      address to listen on (default 0.0.0.0)
                  --data-dir DIR      state directory (default: $ORCHESTRATOR_DATA_DIR or <install>/data)
                  --plugins-dir DIR   drop-in plugins (default: $ORCHESTRATOR_PLUGINS_DIR or <install>/plugins)
                """;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = Args.parse(argv, Set.of("port", "bind", "data-dir", "plugins-dir"), Set.of());
        if (!args.positionals().isEmpty()) {
            throw new CliException("server takes no arguments, got '" + args.positionals().getFirst() + "'");
        }
        var options = new ServerOptions(args.value("bind").orElse("0.0.0.0"), args.intValue("port", 8080),
                args.value("data-dir").map(Path::of).orElseGet(ServerCommand::defaultDataDir),
                args.value("plugins-dir").map(Path::of).orElseGet(Home::pluginsDir));
        PluginManager plugins = PluginManager.discover(options.pluginsDir());
        ControlPlane plane = ControlPlane.start(options, plugins);
        out.println("orchestrator server listening on http://" + options.bindAddress() + ":" + plane.port());
        awaitShutdown(plane);
        return 0;
    }

    private static Path defaultDataDir() {
        String env = System.getenv("ORCHESTRATOR_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Home.dir().resolve("data");
    }

    private static void awaitShutdown(ControlPlane plane) {
        var done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plane.stop();
            done.countDown();
        }, "shutdown"));
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
