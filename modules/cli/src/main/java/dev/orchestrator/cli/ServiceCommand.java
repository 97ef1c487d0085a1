package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code orchestrator service NAME} (alias {@code inspect}): one service and its replicas. */
final class ServiceCommand extends ClientCommand {
    ServiceCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "service";
    }

    @Override
    public List<String> aliases() {
        return List.of("inspect");
    }

    @Override
    public String summary() {
        return "Show one service and its replicas (alias: inspect)";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator service NAME [-o table|json]
                       orchestrator inspect NAME [-o table|json]

                Shows the service NAME (GET /api/services/NAME): image, revision, status, ports and
                health check, then one line per replica:

                  NAME          ID            STATUS   HEALTH   NODE    RESTARTS
                  api-server-0  3f2a9c1b7d4e  running  healthy  node-1  0

                followed by the replicas' last messages, if any (why one failed or waits).
                Ports read HOST->CONTAINER/PROTOCOL when published, CONTAINER/PROTOCOL otherwise.

                Options:
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, OUTPUT, Set.of());
        String name = serviceName(args, "service");
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            JsonNode service = api.getObject("/api/services/" + name);
            if (json) {
                out.println(pretty(service));
            } else {
                print(service, out);
            }
        }
        return 0;
    }

    /**
     * @param service the answer of {@code GET /api/services/{name}}
     * @param out     where to print it
     */
    static void print(JsonNode service, PrintStream out) {
        int replicas = service.path("replicas").asInt();
        var head = new Table("Service:", text(service, "name"));
        head.row("Image:", text(service, "image"));
        head.row("Revision:", text(service, "revision"));
        head.row("Status:", text(service, "status"));
        head.row("Replicas:", Rollout.running(service) + " running");
        head.row("Health:", PsCommand.health(service.path("healthy").asInt(), replicas));
        head.row("Ports:", ports(service.path("ports")));
        JsonNode probe = service.path("spec").path("health_check");
        if (probe.isObject()) {
            head.row("Probe:", probe(probe));
        }
        head.print(out);
        out.println();
        var t = new Table("NAME", "ID", "STATUS", "HEALTH", "NODE", "RESTARTS");
        var messages = new ArrayList<String>();
        for (JsonNode c : service.path("containers")) {
            t.row(text(c, "name"), text(c, "id"), text(c, "status"), text(c, "health"), text(c, "node_id"),
                    text(c, "restarts"));
            if (!text(c, "message").equals("-")) {
                messages.add(text(c, "name") + ": " + text(c, "message"));
            }
        }
        t.print(out);
        if (!messages.isEmpty()) {
            out.println();
            messages.forEach(out::println);
        }
    }

    /**
     * @param ports the {@code ports} array of a service
     * @return e.g. {@code 8080->8080/tcp, 9000/tcp}, or {@code -}
     */
    static String ports(JsonNode ports) {
        var parts = new ArrayList<String>();
        for (JsonNode p : ports) {
            int host = p.path("host_port").asInt();
            String protocol = p.path("protocol").asText("tcp");
            parts.add((host != 0 ? host + "->" : "") + p.path("container_port").asInt() + "/" + protocol);
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String probe(JsonNode h) {
        String target = switch (h.path("type").asText()) {
            case "http" -> text(h, "endpoint");
            case "tcp" -> "port " + text(h, "port");
            case "exec" -> {
                var words = new ArrayList<String>();
                h.path("command").forEach(w -> words.add(w.asText()));
                yield String.join(" ", words);
            }
            default -> "";
        };
        String every = h.path("interval").isTextual() ? ", every " + h.get("interval").asText() : "";
        return (text(h, "type") + " " + target).strip() + every;
    }
}
