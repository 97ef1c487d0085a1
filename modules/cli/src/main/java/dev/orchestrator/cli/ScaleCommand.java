package dev.orchestrator.cli;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import dev.orchestrator.wire.ScaleRequest;
import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code orchestrator scale NAME --replicas N}: changes the replica count, then waits. */
final class ScaleCommand extends ClientCommand {
    ScaleCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "scale";
    }

    @Override
    public String summary() {
        return "Change a service's replica count and wait until they run";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator scale NAME --replicas N [--detach] [--timeout DURATION]

                Sets the desired replica count of the service NAME (POST /api/services/NAME/scale),
                then waits until as many replicas run and prints e.g. 'api-server: 5/5 running'.
                Scaling down removes the highest-numbered replicas first; the image and settings
                stay as deployed (the revision does not change).

                Options:
                  --replicas N         desired replicas, 0..1000 (required)
                """ + Rollout.HELP + "\n" + ApiClient.HELP + """

                Exit status: 0 once every replica runs (or the request is accepted, with --detach),
                1 if the server refuses it, cannot be reached or the wait times out, 2 for bad usage.
                """;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of("replicas", "timeout"), Set.of("detach"));
        String name = serviceName(args, "scale");
        if (args.value("replicas").isEmpty()) {
            throw new CliException("scale needs --replicas N (see orchestrator scale --help)");
        }
        int replicas = intOption(args, "replicas", 0, ServiceSpec.MAX_REPLICAS, 0);
        Duration timeout = args.value("timeout").map(t -> local(() -> Validation.duration("--timeout", t)))
                .orElse(Rollout.DEFAULT_TIMEOUT);
        try (ApiClient api = connect(args)) {
            api.post("/api/services/" + name + "/scale", new ScaleRequest(replicas), Views.Service.class);
            out.println(name + ": scaling to " + replicas + (replicas == 1 ? " replica" : " replicas"));
            return args.flag("detach") ? 0 : Rollout.await(api, name, timeout, out);
        }
    }
}
