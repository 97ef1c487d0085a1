package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code orchestrator ps}: one line per service. */
final class PsCommand extends ClientCommand {
    PsCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "ps";
    }

    @Override
    public String summary() {
        return "List services: status, running replicas, health";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator ps [-o table|json]

                Lists every service (GET /api/services):

                  NAME        STATUS   REPLICAS  HEALTH
                  api-server  running  3/3       healthy
                  worker      running  2/3       2/3 healthy

                STATUS is running (every desired replica runs), converging, degraded (fewer run
                than desired after failures) or stopped (0 replicas). REPLICAS is running/desired.
                HEALTH is 'healthy' when every desired replica is healthy, 'N/M healthy' otherwise,
                '-' for 0 replicas; a replica without a health check is healthy when it runs.

                Options:
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, OUTPUT, Set.of());
        noPositionals(args, "ps");
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var services = api.getList("/api/services", Views.Service.class);
            if (json) {
                out.println(pretty(services.json()));
            } else {
                table(services.value()).print(out);
            }
        }
        return 0;
    }

    /**
     * @param services the answer of {@code GET /api/services}
     * @return the {@code ps} table
     */
    static Table table(List<Views.Service> services) {
        var t = new Table("NAME", "STATUS", "REPLICAS", "HEALTH");
        for (Views.Service s : services) {
            t.row(text(s.name()), text(s.status()), Rollout.running(s), health(s.healthy(), s.replicas()));
        }
        return t;
    }

    /**
     * @param healthy  healthy replicas
     * @param replicas desired replicas
     * @return {@code healthy}, {@code 2/3 healthy}, or {@code -} for 0 replicas
     */
    static String health(int healthy, int replicas) {
        if (replicas == 0) {
            return "-";
        }
        return healthy == replicas ? "healthy" : healthy + "/" + replicas + " healthy";
    }
}
