package dev.orchestrator.cli;

import dev.orchestrator.agent.Agent;
import dev.orchestrator.agent.AgentOptions;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.kernel.PluginManager;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code orchestrator agent}: runs a worker node until SIGTERM or SIGINT. */
final class AgentCommand implements Command {
    @Override
    public String name() {
        return "agent";
    }

    @Override
    public String summary() {
        return "Run a worker node that joins a server";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator agent --server URL --token TOKEN [--name NAME] [--advertise-address IP]
                                          [--port PORT] [--data-dir DIR] [--plugins-dir DIR]
                                          [--cpus N] [--memory SIZE] [--label KEY=VALUE]... [--ingress-address IP]

                Runs a worker node: its replicas run on this machine's Docker engine, as the server
                assigns them. The agent sends a heartbeat every second with its replicas' state,
                health and resource usage, and keeps a copy of the desired state in its data
                directory: while the server is away its containers keep running and crashed ones
                are restarted, and a restarted agent adopts its containers.

                The token comes from the server: orchestrator token (or $ORCHESTRATOR_JOIN_TOKEN).

                Options:
                  --server URL             the server's API, e.g. http://10.0.0.1:8080 (required)
                  --token TOKEN            a join token (required; or $ORCHESTRATOR_JOIN_TOKEN)
                  --name NAME              node name, a DNS label (default: the host name)
                  --advertise-address IP   address the server and other nodes reach this node at; replicas'
                                           host ports bind to it (default 127.0.0.1)
                  --port PORT              port of the agent's endpoint (logs, /health) on that address
                                           (default 7947)
                  --data-dir DIR           where the agent keeps its state (default: <install>/agent-data)
                  --plugins-dir DIR        drop-in plugins (default: $ORCHESTRATOR_PLUGINS_DIR or <install>/plugins)
                """ + NodeFlags.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = Args.parse(argv, Set.of("server", "token", "name", "advertise-address", "port", "data-dir",
                "plugins-dir", "cpus", "memory", "label", "ingress-address"), Set.of());
        if (!args.positionals().isEmpty()) {
            throw new CliException("agent takes no arguments, got '" + args.positionals().getFirst() + "'");
        }
        String server = args.value("server").orElseThrow(() -> new CliException("--server URL is required"));
        String token = args.value("token").or(() -> Optional.ofNullable(System.getenv("ORCHESTRATOR_JOIN_TOKEN")))
                .orElseThrow(() -> new CliException("--token is required (run 'orchestrator token' on the server)"));
        URI uri;
        try {
            uri = URI.create(server);
        } catch (IllegalArgumentException e) {
            throw new CliException("--server must be a URL such as http://10.0.0.1:8080, got '" + server + "'");
        }
        var options = new AgentOptions(uri, token, args.value("name").orElseGet(ServerCommand::hostName),
                args.value("advertise-address").orElse("127.0.0.1"), args.intValue("port", 7947),
                args.value("ingress-address").orElse("0.0.0.0"),
                args.value("data-dir").map(Path::of).orElseGet(() -> Home.dir().resolve("agent-data")),
                args.value("plugins-dir").map(Path::of).orElseGet(Home::pluginsDir), NodeFlags.cpus(args),
                NodeFlags.memory(args), NodeFlags.labels(args), Protocol.HEARTBEAT_INTERVAL, null, null);
        Agent agent = Agent.start(options, PluginManager.discover(options.pluginsDir()), out);
        ServerCommand.awaitShutdown(agent::close);
        return 0;
    }
}
