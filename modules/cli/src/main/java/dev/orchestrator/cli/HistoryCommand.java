package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code orchestrator history NAME}: the revisions a service has had, newest first. */
final class HistoryCommand extends ClientCommand {
    HistoryCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "history";
    }

    @Override
    public String summary() {
        return "List a service's revisions, newest first";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator history NAME [-o table|json]

                Lists the revisions of the service NAME (GET /api/services/NAME/revisions), newest
                first: its number, when it was deployed (UTC), its image, and '*' for the one that
                runs now. The server keeps each service's 10 newest; a revision number is never
                used twice for a name, even after the service is removed and deployed again.
                'orchestrator rollback NAME --to N' returns to one of them.

                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, OUTPUT, Set.of());
        String name = serviceName(args, "history");
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var revisions = api.getList("/api/services/" + name + "/revisions", Views.Revision.class);
            if (json) {
                out.println(pretty(revisions.json()));
                return 0;
            }
            var t = new Table("REVISION", "DEPLOYED", "IMAGE", "CURRENT");
            for (Views.Revision r : revisions.value()) {
                t.row(text(r.revision()), EventsCommand.utc(r.createdAt()), text(r.image()), r.current() ? "*" : "");
            }
            t.print(out);
        }
        return 0;
    }
}
