package dev.orchestrator.cli;

import dev.orchestrator.api.OrchestratorException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Entry point of {@code bin/orchestrator}: dispatches to a sub-command. Errors print one line
 * on stderr and exit non-zero; no stack traces reach the user.
 */
public final class Main {
    private Main() {
    }

    /**
     * @param argv the command line
     */
    public static void main(String[] argv) {
        int status = run(Arrays.asList(argv), System.out, System.err, Env.system());
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs one command line in the process's environment.
     *
     * @param argv the command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit status
     */
    static int run(List<String> argv, PrintStream out, PrintStream err) {
        return run(argv, out, err, Env.system());
    }

    /**
     * Runs one command line.
     *
     * @param argv the command line
     * @param out  standard output
     * @param err  standard error
     * @param env  environment variables, standard input and clock
     * @return the exit status: 0, 1 for a failure reported by the server or the system, 2 for bad usage
     */
    static int run(List<String> argv, PrintStream out, PrintStream err, Env env) {
        List<Command> commands = commands(env);
        if (argv.isEmpty() || argv.getFirst().equals("--help") || argv.getFirst().equals("-h")
                || argv.getFirst().equals("help") && argv.size() == 1) {
            out.print(usage(commands));
            return argv.isEmpty() ? 2 : 0;
        }
        String name = argv.getFirst().equals("--version") ? "version" : argv.getFirst();
        if (name.equals("help")) {
            return help(commands, argv.get(1), out, err);
        }
        Command command = find(commands, name);
        if (command == null) {
            err.println("error: unknown command '" + name + "' (see orchestrator --help)");
            return 2;
        }
        // --version is the CLI's own version: fast, and no server asked.
        List<String> rest = argv.getFirst().equals("--version") ? List.of("--client") : argv.subList(1, argv.size());
        if (wantsHelp(rest)) {
            out.print(command.help());
            return 0;
        }
        return execute(command, rest, out, err);
    }

    /**
     * @param env what client commands read besides their arguments
     * @return every command, in the order of the usage text
     */
    static List<Command> commands(Env env) {
        return List.of(new DeployCommand(env), new PsCommand(env), new ServiceCommand(env), new ScaleCommand(env),
                new HistoryCommand(env), new RollbackCommand(env), new LogsCommand(env), new EventsCommand(env),
                new RmCommand(env), new StatsCommand(env), new NodesCommand(env),
                new NodeCommand(env), new TokenCommand(env), new RegistryCommand(env), new UserCommand(env),
                new ServerCommand(env),
                new AgentCommand(env), new PluginsCommand(),
                new VersionCommand(env), new CompletionCommand(() -> commands(env)));
    }

    private static Command find(List<Command> commands, String name) {
        return commands.stream().filter(c -> c.name().equals(name) || c.aliases().contains(name))
                .findFirst().orElse(null);
    }

    /** {@code --help} anywhere before {@code --}: after it, it belongs to the container's command. */
    private static boolean wantsHelp(List<String> args) {
        int end = args.indexOf("--");
        List<String> options = end < 0 ? args : args.subList(0, end);
        return options.contains("--help") || options.contains("-h");
    }

    private static int execute(Command command, List<String> args, PrintStream out, PrintStream err) {
        try {
            return command.run(args, out);
        } catch (CliException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (ApiException | OrchestratorException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int help(List<Command> commands, String name, PrintStream out, PrintStream err) {
        Command c = find(commands, name);
        if (c == null) {
            err.println("error: unknown command '" + name + "' (see orchestrator --help)");
            return 2;
        }
        out.print(c.help());
        return 0;
    }

    private static String usage(List<Command> commands) {
        var sb = new StringBuilder("""
                Usage: orchestrator <command> [options]

                A lightweight container orchestrator: server, agent and CLI in one binary.

                Client commands (they talk to the server's REST API):
                """);
        commands.stream().filter(c -> c instanceof ClientCommand).forEach(c -> line(sb, c));
        sb.append("\nServer and local commands:\n");
        commands.stream().filter(c -> !(c instanceof ClientCommand)).forEach(c -> line(sb, c));
        sb.append("""

                Run 'orchestrator <command> --help' for a command's options. Client commands reach
                $ORCHESTRATOR_URL (default http://localhost:8080) as $ORCHESTRATOR_USER (default admin)
                with $ORCHESTRATOR_PASSWORD, or --url, --user, --password / --password-stdin.
                """);
        return sb.toString();
    }

    private static void line(StringBuilder sb, Command c) {
        sb.append(String.format("  %-10s %s%n", c.name(), c.summary()));
    }
}
