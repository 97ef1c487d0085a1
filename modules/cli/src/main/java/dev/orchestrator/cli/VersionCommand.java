package dev.orchestrator.cli;

import dev.orchestrator.wire.VersionView;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/**
 * {@code orchestrator version}: the CLI's version and the Java runtime, then the server's
 * version from {@code GET /api/version}; a server that cannot be asked is one line, and the
 * command still succeeds. {@code --client} (and {@code orchestrator --version}) ask no server.
 */
final class VersionCommand extends ClientCommand {
    VersionCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "Print the CLI's and the server's versions (--version: the CLI's only)";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator version [--client] [connection options]

                Prints the orchestrator CLI's version and the Java runtime it runs on, then the
                version of the server at --url and the node protocol versions it speaks. When the
                server cannot be asked, says so in one line (exit status 0). orchestrator --version
                is orchestrator version --client.

                  --client             the CLI's version only; no server is asked
                """ + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of(), Set.of("client"));
        if (!args.positionals().isEmpty()) {
            throw new CliException("version takes no arguments, got '" + args.positionals().getFirst() + "'");
        }
        out.println("orchestrator " + Home.version() + " (Java " + Runtime.version() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        if (args.flag("client")) {
            return 0;
        }
        try (ApiClient api = connect(args)) {
            try {
                VersionView v = api.get("/api/version", VersionView.class).value();
                var protocols = v.protocolVersions().stream().map(String::valueOf).toList();
                out.println("server " + (v.version() == null ? "unknown" : v.version()) + " at " + api.base()
                        + " (node protocol " + String.join(", ", protocols) + ")");
            } catch (ApiException e) {
                out.println("server: unknown: " + e.getMessage());
            }
        }
        return 0;
    }
}
