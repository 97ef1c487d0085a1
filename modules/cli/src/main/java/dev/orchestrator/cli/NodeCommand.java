package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code orchestrator node SUBCOMMAND}: lists the nodes ({@code node ls}, as {@code nodes}) and
 * changes a node's availability ({@code node cordon|uncordon|drain NAME}) or removes it
 * ({@code node rm NAME}).
 */
final class NodeCommand extends ClientCommand {
    /** What each availability change prints on success, with {@code %s} for the node's name. */
    private static final Map<String, String> ACTIONS = Map.of(
            "cordon", "Node %s cordoned: no new replicas are placed on it",
            "uncordon", "Node %s is schedulable again",
            "drain", "Node %s draining: its replicas move to other nodes, each replacement healthy before the old one"
                    + " stops");

    NodeCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String summary() {
        return "Cordon, uncordon, drain or remove a node; node ls lists them";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator node ls [-o table|json]
                       orchestrator node cordon NAME [-o table|json]
                       orchestrator node uncordon NAME [-o table|json]
                       orchestrator node drain NAME [-o table|json]
                       orchestrator node rm NAME [--force]

                Manages the nodes replicas run on; NAME is a node's name as 'node ls' lists it.

                  ls              lists the nodes, as 'orchestrator nodes' does (see its --help)
                  cordon NAME     no new replicas are placed on the node; those on it keep running
                                  (POST /api/nodes/NAME/cordon). Prints
                                  'Node NAME cordoned: no new replicas are placed on it'
                  uncordon NAME   makes a cordoned or draining node active again: new replicas may
                                  be placed on it (POST /api/nodes/NAME/uncordon). Prints
                                  'Node NAME is schedulable again'
                  drain NAME      no new replicas are placed on the node and those on it move to
                                  other nodes, each replacement healthy before the old one stops
                                  (POST /api/nodes/NAME/drain), e.g. before maintenance. Returns
                                  once the server accepts it, printing 'Node NAME draining: ...';
                                  follow the moves with 'orchestrator ps' or 'orchestrator events'
                  rm NAME         removes a node whose agent is stopped (the node is down) and
                                  revokes its own credential, which it received when it joined
                                  (DELETE /api/nodes/NAME); its replicas are placed on other
                                  nodes. With --force, also a node that still reports: its agent
                                  is refused from its next request. To join again, the agent's saved
                                  credential (<data-dir>/cluster/credential) is removed and it
                                  starts with a join token. Prints 'Node NAME removed; its
                                  credential is revoked'. The server's own node cannot be removed

                The node's AVAILABILITY column in 'node ls' shows active, cordoned or draining.

                Options:
                  -o, --output FMT     table (default) or json: the API's JSON, indented (for cordon,
                                       uncordon and drain: the node as changed, instead of the line)
                  --force              node rm: remove the node even while it reports

                """ + ApiClient.HELP + """

                Exit status: 0 on success, 1 if the server refuses it (e.g. no such node) or cannot
                be reached, 2 for bad usage (e.g. NAME is not a DNS label; nothing is sent then).
                """;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, OUTPUT, Set.of("force"));
        List<String> p = args.positionals();
        if (p.isEmpty()) {
            throw new CliException("node needs a subcommand: ls, cordon, uncordon, drain or rm"
                    + " (see orchestrator node --help)");
        }
        String sub = p.getFirst();
        List<String> rest = p.subList(1, p.size());
        if (sub.equals("ls")) {
            if (!rest.isEmpty()) {
                throw new CliException("node ls takes no arguments, got '" + rest.getFirst() + "'");
            }
            return new NodesCommand(env).list(args, out);
        }
        if (sub.equals("rm")) {
            String name = nodeName(sub, rest);
            try (ApiClient api = connect(args)) {
                api.delete("/api/nodes/" + name + (args.flag("force") ? "?force=true" : ""), Views.Deleted.class);
            }
            out.println("Node " + name + " removed; its credential is revoked");
            return 0;
        }
        if (args.flag("force")) {
            throw new CliException("--force goes with node rm only");
        }
        String message = ACTIONS.get(sub);
        if (message == null) {
            throw new CliException("unknown node subcommand '" + sub
                    + "': use ls, cordon, uncordon, drain or rm (see orchestrator node --help)");
        }
        String name = nodeName(sub, rest);
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var node = api.post("/api/nodes/" + name + "/" + sub, null, Views.Node.class);
            out.println(json ? pretty(node.json()) : message.formatted(name));
        }
        return 0;
    }

    /**
     * @param sub  the subcommand, for the message
     * @param rest the positionals after it
     * @return the one node name, validated as a DNS label
     * @throws CliException if there is none, more than one, or it is not a DNS label
     */
    static String nodeName(String sub, List<String> rest) {
        if (rest.isEmpty()) {
            throw new CliException("node " + sub + " needs a node name (see orchestrator node --help)");
        }
        if (rest.size() > 1) {
            throw new CliException("node " + sub + " takes one node name, got " + rest.size() + " arguments: "
                    + String.join(" ", rest));
        }
        return validName("node name", rest.getFirst());
    }
}
