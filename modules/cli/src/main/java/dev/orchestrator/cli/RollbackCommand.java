package dev.orchestrator.cli;

import dev.orchestrator.api.Validation;
import dev.orchestrator.wire.RollbackRequest;
import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** {@code orchestrator rollback NAME [--to N]}: back to an earlier revision, then waits. */
final class RollbackCommand extends ClientCommand {
    RollbackCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "rollback";
    }

    @Override
    public String summary() {
        return "Return a service to an earlier revision and wait until it runs";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator rollback NAME [--to N] [--wait|--detach] [--timeout DURATION]

                Deploys the spec of an earlier revision of the service NAME again (POST
                /api/services/NAME/rollback), with the current replica count: by default the
                revision before the current one, or revision N (see orchestrator history NAME).
                It becomes a new revision (numbers never go back) and replaces the replicas as
                any update does, printing the progress as deploy does; the event says which
                revision it came from.

                Options:
                  --to N               the revision to return to
                """ + Rollout.DEPLOY_HELP + "\n" + ApiClient.HELP + """

                Exit status: 0 once the rollout succeeded and every replica runs the restored spec
                (or at once, with --detach), 1 if the server refuses it (no such revision), cannot
                be reached, the rollout was paused or rolled back, or the wait times out, 2 for bad
                usage.
                """;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of("to", "timeout"), Set.of("detach", "wait"));
        boolean detach = DeployCommand.detach(args);
        String name = serviceName(args, "rollback");
        Long to = args.value("to").isPresent() ? (long) intOption(args, "to", 1, Integer.MAX_VALUE, 1) : null;
        Duration timeout = args.value("timeout").map(t -> local(() -> Validation.duration("--timeout", t)))
                .orElse(Rollout.DEFAULT_TIMEOUT);
        try (ApiClient api = connect(args)) {
            long revision = api.post("/api/services/" + name + "/rollback", new RollbackRequest(to),
                    Views.Service.class).value().revision();
            out.println(name + ": rolled back to " + (to == null ? "the previous revision" : "revision " + to)
                    + ", now revision " + revision);
            return detach ? 0 : Rollout.await(api, name, revision, timeout, out);
        }
    }
}
