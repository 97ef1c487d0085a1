package dev.orchestrator.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code orchestrator logs NAME}: the logs of every replica of a service. */
final class LogsCommand extends ClientCommand {
    LogsCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String summary() {
        return "Print the logs of a service's replicas";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator logs NAME [--tail N]

                Prints the logs of every replica of the service NAME (GET /api/services/NAME/logs),
                oldest first, each line prefixed with the replica's name:

                  api-server-0 | listening on 8080
                  api-server-1 | listening on 8080

                Options:
                  --tail N             the last N lines of each replica, 1..10000 (default 100)
                """ + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of("tail"), Set.of());
        String name = serviceName(args, "logs");
        String query = args.value("tail").isPresent() ? "?tail=" + intOption(args, "tail", 1, 10_000, 100) : "";
        try (ApiClient api = connect(args)) {
            String text = api.getText("/api/services/" + name + "/logs" + query);
            out.print(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.println();
            }
        }
        return 0;
    }
}
