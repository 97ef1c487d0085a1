package dev.orchestrator.cli;

import dev.orchestrator.api.OrchestratorException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code bin/orchestrator}: dispatches to a sub-command. Errors print one line
 * on stderr and exit non-zero; no stack traces reach the user.
 */
public final class Main {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        for (Command c : List.of(new ServerCommand(), new PluginsCommand(), new VersionCommand())) {
            COMMANDS.put(c.name(), c);
        }
    }

    private Main() {
    }

    /**
     * @param argv the command line
     */
    public static void main(String[] argv) {
        int status = run(Arrays.asList(argv), System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs one command line.
     *
     * @param argv the command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit status
     */
    static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.getFirst().equals("--help") || argv.getFirst().equals("-h")
                || argv.getFirst().equals("help") && argv.size() == 1) {
            out.print(usage());
            return argv.isEmpty() ? 2 : 0;
        }
        String name = argv.getFirst().equals("--version") ? "version" : argv.getFirst();
        if (name.equals("help")) {
            return help(argv.get(1), out, err);
        }
        Command command = COMMANDS.get(name);
        if (command == null) {
            err.println("error: unknown command '" + name + "' (see orchestrator --help)");
            return 2;
        }
        List<String> rest = argv.subList(1, argv.size());
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(command.help());
            return 0;
        }
        return execute(command, rest, out, err);
    }

    private static int execute(Command command, List<String> args, PrintStream out, PrintStream err) {
        try {
            return command.run(args, out);
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (OrchestratorException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int help(String name, PrintStream out, PrintStream err) {
        Command c = COMMANDS.get(name);
        if (c == null) {
            err.println("error: unknown command '" + name + "' (see orchestrator --help)");
            return 2;
        }
        out.print(c.help());
        return 0;
    }

    private static String usage() {
        var sb = new StringBuilder("""
                Usage: orchestrator <command> [options]

                A lightweight container orchestrator: server, agent and CLI in one binary.

                Commands:
                """);
        COMMANDS.values().forEach(c -> sb.append(String.format("  %-10s %s%n", c.name(), c.summary())));
        sb.append("\nRun 'orchestrator <command> --help' for a command's options.\n");
        return sb.toString();
    }
}
