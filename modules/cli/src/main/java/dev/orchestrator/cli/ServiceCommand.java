package dev.orchestrator.cli;

import dev.orchestrator.wire.DeployRequest;
import dev.orchestrator.wire.Views;
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
            var service = api.get("/api/services/" + name, Views.Service.class);
            if (json) {
                out.println(pretty(service.json()));
            } else {
                print(service.value(), out);
            }
        }
        return 0;
    }

    /**
     * @param service the answer of {@code GET /api/services/{name}}
     * @param out     where to print it
     */
    static void print(Views.Service service, PrintStream out) {
        var head = new Table("Service:", text(service.name()));
        head.row("Image:", text(service.image()));
        head.row("Revision:", text(service.revision()));
        head.row("Status:", text(service.status()));
        head.row("Replicas:", Rollout.running(service) + " running");
        head.row("Health:", PsCommand.health(service.healthy(), service.replicas()));
        head.row("Ports:", ports(service.ports()));
        DeployRequest.HealthCheck probe = service.spec() == null ? null : service.spec().healthCheck();
        if (probe != null) {
            head.row("Probe:", probe(probe));
        }
        head.print(out);
        out.println();
        var t = new Table("NAME", "ID", "STATUS", "HEALTH", "NODE", "RESTARTS");
        var messages = new ArrayList<String>();
        for (Views.Container c : service.containers()) {
            t.row(text(c.name()), text(c.id()), text(c.status()), text(c.health()), text(c.nodeId()),
                    text(c.restarts()));
            if (!text(c.message()).equals("-")) {
                messages.add(text(c.name()) + ": " + c.message());
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
    static String ports(List<Views.Port> ports) {
        var parts = new ArrayList<String>();
        for (Views.Port p : ports) {
            String protocol = p.protocol() == null ? "tcp" : p.protocol();
            parts.add((p.hostPort() != 0 ? p.hostPort() + "->" : "") + p.containerPort() + "/" + protocol);
        }
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String probe(DeployRequest.HealthCheck h) {
        String target = switch (h.type() == null ? "" : h.type()) {
            case "http" -> text(h.endpoint());
            case "tcp" -> "port " + text(h.port());
            case "exec" -> h.command() == null ? "" : String.join(" ", h.command());
            default -> "";
        };
        String every = h.interval() != null ? ", every " + h.interval() : "";
        return (text(h.type()) + " " + target).strip() + every;
    }
}
