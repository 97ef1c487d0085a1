package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code orchestrator nodes} (also {@code orchestrator node ls}): the nodes containers run on. */
final class NodesCommand extends ClientCommand {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};

    NodesCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "nodes";
    }

    @Override
    public String summary() {
        return "List nodes: status, availability, resources, allocation";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator nodes [-o table|json]
                       orchestrator node ls [-o table|json]

                Lists the nodes (GET /api/nodes):

                  NAME    STATUS  AVAILABILITY  ADDRESS     CPUS  MEMORY   ALLOCATED        CONTAINERS
                  node-1  ready   active        127.0.0.11  2     24.0GiB  1.0cpu/128.0MiB  3

                STATUS is ready, or down once the node's heartbeats stopped. AVAILABILITY is active,
                cordoned (no new replicas are placed on it) or draining (its replicas move to other
                nodes); 'orchestrator node --help' tells how to change it. MEMORY is the node's total
                memory. ALLOCATED is what the replicas placed on it reserve: CPU (--cpu-shares, 1024
                shares = 1cpu) and memory (--memory), '-' if the server does not say. CONTAINERS is
                the number of replicas placed on it. -o json also shows labels, runtime version, last
                heartbeat and which node is the server's own ("local").

                Options:
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, OUTPUT, Set.of());
        noPositionals(args, "nodes");
        return list(args, out);
    }

    /**
     * Prints the nodes, for {@code nodes} and {@code node ls}.
     *
     * @param args parsed arguments: {@code -o} and the connection options
     * @param out  where to print them
     * @return the exit status, 0
     */
    int list(Args args, PrintStream out) {
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var nodes = api.getList("/api/nodes", Views.Node.class);
            if (json) {
                out.println(pretty(nodes.json()));
            } else {
                table(nodes.value()).print(out);
            }
        }
        return 0;
    }

    /**
     * @param nodes the answer of {@code GET /api/nodes}
     * @return the {@code nodes} table
     */
    static Table table(List<Views.Node> nodes) {
        var t = new Table("NAME", "STATUS", "AVAILABILITY", "ADDRESS", "CPUS", "MEMORY", "ALLOCATED", "CONTAINERS");
        for (Views.Node n : nodes) {
            // An older server says nothing of the engine: it is taken to answer.
            boolean unreachable = n.engine() != null && n.engine().startsWith("unreachable");
            t.row(text(n.id()), text(n.status()) + (unreachable ? " (engine unreachable)" : ""),
                    text(n.availability()), text(n.address()), text(n.cpus()),
                    n.memoryBytes() == null ? "-" : bytes(n.memoryBytes()), allocated(n), text(n.containers()));
        }
        return t;
    }

    /**
     * @param node one node of {@code GET /api/nodes}
     * @return what its replicas reserve, e.g. {@code 1.0cpu/128.0MiB} from 1024 CPU shares and
     *         134217728 bytes; {@code -} for a part the server does not send, {@code -} alone if neither
     */
    static String allocated(Views.Node node) {
        Long cpu = node.allocatedCpuShares();
        Long memory = node.allocatedMemoryBytes();
        if (cpu == null && memory == null) {
            return "-";
        }
        return (cpu == null ? "-" : String.format(Locale.ROOT, "%.1fcpu", cpu / 1024.0)) + "/"
                + (memory == null ? "-" : bytes(memory));
    }

    /**
     * @param bytes a size
     * @return it in binary units with one decimal, e.g. {@code 24.0GiB}; plain bytes below 1 KiB
     */
    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        double v = bytes;
        int unit = 0;
        while (v >= 1023.95 && unit < UNITS.length - 1) {
            v /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f%s", v, UNITS[unit]);
    }
}
