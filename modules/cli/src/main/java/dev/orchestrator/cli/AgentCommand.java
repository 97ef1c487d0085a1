package dev.orchestrator.cli;

import dev.orchestrator.node.Agent;
import dev.orchestrator.node.AgentOptions;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.kernel.PluginSettings;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** {@code orchestrator agent}: runs a worker node until SIGTERM or SIGINT. */
final class AgentCommand implements Command {
    /** The agent's flags with their settings; NodeFlags.FLAGS and Logging.FLAGS follow. */
    static final List<NodeFlags.Flag> FLAGS = Stream.concat(Stream.of(
            new NodeFlags.Flag("server", Settings.AGENT_SERVER), new NodeFlags.Flag("token", Settings.AGENT_TOKEN),
            new NodeFlags.Flag("ca-cert", Settings.AGENT_CA_CERT),
            new NodeFlags.Flag("name", Settings.NODE_NAME),
            new NodeFlags.Flag("advertise-address", Settings.NODE_ADVERTISE_ADDRESS),
            new NodeFlags.Flag("port", Settings.AGENT_PORT), new NodeFlags.Flag("data-dir", Settings.AGENT_DATA_DIR),
            new NodeFlags.Flag("plugins-dir", Settings.PLUGINS_DIR)),
            Stream.concat(NodeFlags.FLAGS.stream(), Logging.FLAGS.stream())).toList();

    private final Env env;

    /** @param env the environment variables the settings may come from */
    AgentCommand(Env env) {
        this.env = env;
    }

    /**
     * What one run is given.
     *
     * @param options the agent's options
     * @param plugins the plugins' settings
     * @param file    the config file read, if any
     * @param log     the log's level and format
     */
    record Plan(AgentOptions options, PluginSettings plugins, Optional<Path> file, Logging.Options log) {
    }

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
                Usage: orchestrator agent --server URL --token TOKEN [--ca-cert FILE] [--config FILE] [--name NAME]
                                          [--advertise-address IP] [--port PORT] [--data-dir DIR]
                                          [--plugins-dir DIR] [--cpus N] [--memory SIZE] [--label KEY=VALUE]...
                                          [--ingress-address IP] [--runtime NAME] [--load-balancer NAME]
                                          [--log-level LEVEL] [--log-format text|json]

                Runs a worker node: its replicas run on this machine's Docker engine, as the server
                assigns them. The agent sends a heartbeat every second (less often in a cluster of
                over 50 nodes, as the server asks) with its replicas' state, health and resource
                usage, holds a watch that brings changes at once, and keeps a copy of the desired
                state in its data directory: while the server is away its containers keep running
                and crashed ones are restarted, and a restarted agent adopts its containers.

                The token comes from the server: orchestrator token. It is a secret: pass it in
                $ORCHESTRATOR_AGENT_TOKEN (or $ORCHESTRATOR_JOIN_TOKEN) or the config file rather
                than on the command line, where other users see it; it is never printed.

                Options:
                  --server URL             the server's API, e.g. http://10.0.0.1:8080 (required)
                  --token TOKEN            a join token (required)
                  --ca-cert FILE           PEM certificates an https:// server must be certified by (its
                                           private CA); default: the public CAs the runtime trusts
                  --name NAME              node name, a DNS label (default: the host name)
                  --advertise-address IP   address the server and other nodes reach this node at; replicas'
                                           host ports bind to it (default: this host's address on the
                                           route to the server)
                  --port PORT              port of the agent's endpoint (logs, /health) on that address
                                           (default 7947)
                  --data-dir DIR           where the agent keeps its state (default <install>/agent-data)
                  --plugins-dir DIR        drop-in plugins (default <install>/plugins)
                """ + NodeFlags.HELP + Logging.HELP + NodeFlags.keysHelp(FLAGS);
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Plan plan = plan(argv, env.vars(), Home.configFile());
        AgentOptions options = plan.options();
        // Before anything logs: plugins, the agent's endpoint (Helidon).
        Logging.configure(plan.log(), System.err, List.of(options.token()));
        PluginManager plugins = PluginManager.discover(options.pluginsDir(), plan.plugins());
        plugins.select(PluginKind.RUNTIME, options.runtime());
        plugins.select(PluginKind.LOAD_BALANCER, options.loadBalancer());
        plan.file().ifPresent(f -> out.println("orchestrator agent: config file " + f));
        Agent agent = Agent.start(options, plugins, out);
        ServerCommand.awaitShutdown(agent::close);
        return 0;
    }

    /**
     * Resolves the options: each from its flag, its environment variable, the config file or the default.
     *
     * @param argv        the arguments after {@code agent}
     * @param vars        the environment variables
     * @param defaultFile the config file read when none is named
     * @return what the run is given
     * @throws CliException for a bad or missing flag, variable or file
     */
    static Plan plan(List<String> argv, Map<String, String> vars, Path defaultFile) {
        Set<String> valued = new HashSet<>(Set.of("config"));
        FLAGS.forEach(f -> valued.add(f.name()));
        Args args = Args.parse(argv, valued, Set.of());
        if (!args.positionals().isEmpty()) {
            throw new CliException("agent takes no arguments, got '" + args.positionals().getFirst() + "'");
        }
        Configuration c = Configuration.load(args, vars, defaultFile);
        URI server = c.value(Settings.AGENT_SERVER, "server").map(URI::create).orElseThrow(() -> new CliException(
                "--server URL is required (or agent.server in the config file, or $" + Settings.AGENT_SERVER.env()
                        + ")"));
        String token = c.value(Settings.AGENT_TOKEN, "token").orElseThrow(() -> new CliException(
                "--token is required (run 'orchestrator token' on the server; or agent.token in the config file,"
                        + " or $" + Settings.AGENT_TOKEN.env() + ")"));
        var options = new AgentOptions(server, token, c.value(Settings.NODE_NAME, "name")
                .orElseGet(ServerCommand::hostName),
                c.text(Settings.NODE_ADVERTISE_ADDRESS, "advertise-address", LocalAddress.towards(server)),
                c.integer(Settings.AGENT_PORT, "port", 7947),
                c.text(Settings.NODE_INGRESS_ADDRESS, "ingress-address", "0.0.0.0"),
                c.path(Settings.AGENT_DATA_DIR, "data-dir", Home.dir().resolve("agent-data")),
                c.path(Settings.PLUGINS_DIR, "plugins-dir", Home.dir().resolve("plugins")),
                c.integer(Settings.NODE_CPUS, "cpus", 0), c.size(Settings.NODE_MEMORY, "memory"), c.labels("label"),
                Protocol.HEARTBEAT_INTERVAL, c.value(Settings.NODE_RUNTIME, "runtime").orElse(null),
                c.text(Settings.NODE_LOAD_BALANCER, "load-balancer", NodeFlags.DEFAULT_LOAD_BALANCER),
                NodeFlags.logs(c), c.value(Settings.AGENT_CA_CERT, "ca-cert").map(Path::of).orElse(null));
        return new Plan(options, c.plugins(), c.file(), Logging.options(c));
    }
}
