package dev.orchestrator.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code orchestrator version}: prints the version and the Java runtime. */
final class VersionCommand implements Command {
    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "Print the version (also: --version)";
    }

    @Override
    public String help() {
        return "Usage: orchestrator version\n\nPrints the orchestrator's version and the Java runtime it runs on.\n";
    }

    @Override
    public int run(List<String> args, PrintStream out) {
        Args.parse(args, Set.of(), Set.of());
        out.println("orchestrator " + Home.version() + " (Java " + Runtime.version() + ", "
                + System.getProperty("os.name") + " " + System.getProperty("os.arch") + ")");
        return 0;
    }
}
