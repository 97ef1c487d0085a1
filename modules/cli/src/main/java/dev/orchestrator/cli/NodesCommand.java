package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** {@code orchestrator nodes}: the nodes containers run on. */
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
        return "List nodes: status, address, CPUs, memory, containers";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator nodes [-o table|json]

                Lists the nodes (GET /api/nodes):

                  NAME    STATUS  ADDRESS    CPUS  MEMORY   CONTAINERS
                  node-1  ready   127.0.0.1  2     24.0GiB  3

                MEMORY is the node's total memory; CONTAINERS the replicas placed on it.

                Options:
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, OUTPUT, Set.of());
        noPositionals(args, "nodes");
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            JsonNode nodes = api.getArray("/api/nodes");
            if (json) {
                out.println(pretty(nodes));
            } else {
                table(nodes).print(out);
            }
        }
        return 0;
    }

    /**
     * @param nodes the answer of {@code GET /api/nodes}
     * @return the {@code nodes} table
     */
    static Table table(JsonNode nodes) {
        var t = new Table("NAME", "STATUS", "ADDRESS", "CPUS", "MEMORY", "CONTAINERS");
        for (JsonNode n : nodes) {
            JsonNode memory = n.path("memory_bytes");
            t.row(text(n, "id"), text(n, "status"), text(n, "address"), text(n, "cpus"),
                    memory.isNumber() ? bytes(memory.asLong()) : "-", text(n, "containers"));
        }
        return t;
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
