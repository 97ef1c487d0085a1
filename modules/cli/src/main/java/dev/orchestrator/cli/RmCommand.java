package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code orchestrator rm NAME}: removes a service. */
final class RmCommand extends ClientCommand {
    RmCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "rm";
    }

    @Override
    public String summary() {
        return "Remove a service: stop and remove its replicas";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator rm NAME

                Removes the service NAME (DELETE /api/services/NAME): its replicas are stopped and
                removed and its published ports released. Prints 'NAME removed'.

                """ + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of(), Set.of());
        String name = serviceName(args, "rm");
        try (ApiClient api = connect(args)) {
            api.delete("/api/services/" + name, Views.Deleted.class);
        }
        out.println(name + " removed");
        return 0;
    }
}
