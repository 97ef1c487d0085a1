package dev.orchestrator.cli;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A command that talks to the server's REST API: it accepts the connection options of
 * {@link ApiClient} besides its own, and validates its own arguments before anything is sent.
 */
abstract class ClientCommand implements Command {
    /** The {@code -o} option of listing commands. */
    static final Set<String> OUTPUT = Set.of("o", "output");
    /** Its {@code --help} line. */
    static final String OUTPUT_HELP = "  -o, --output FMT     table (default) or json (the API's JSON, indented)\n";

    /** Environment variables, standard input and clock. */
    final Env env;

    ClientCommand(Env env) {
        this.env = env;
    }

    /**
     * Parses a command's arguments together with the connection options.
     *
     * @param argv     the arguments after the command's name
     * @param valued   the command's own options with a value
     * @param switches the command's own options without a value
     * @return the parsed arguments
     * @throws CliException for an unknown option or a missing value
     */
    static Args parse(List<String> argv, Set<String> valued, Set<String> switches) {
        var v = new HashSet<>(valued);
        v.addAll(ApiClient.VALUED);
        var s = new HashSet<>(switches);
        s.addAll(ApiClient.SWITCHES);
        return Args.parse(argv, v, s);
    }

    /**
     * @param args parsed arguments
     * @return a client for the server named by the connection options
     */
    ApiClient connect(Args args) {
        return ApiClient.connect(args, env);
    }

    /**
     * @param args parsed arguments
     * @return true for {@code -o json}, false for {@code -o table} or none
     * @throws CliException for another format
     */
    static boolean json(Args args) {
        String format = args.value("o").or(() -> args.value("output")).orElse("table");
        return switch (format) {
            case "json" -> true;
            case "table" -> false;
            default -> throw new CliException("-o must be 'table' or 'json', got '" + format + "'");
        };
    }

    /**
     * @param args    parsed arguments
     * @param command the command's name, for the message
     * @return the one positional, a service name, validated
     * @throws CliException if there is none, more than one, or it is not a valid name
     */
    static String serviceName(Args args, String command) {
        List<String> p = args.positionals();
        if (p.isEmpty()) {
            throw new CliException(command + " needs a service name (see orchestrator " + command + " --help)");
        }
        if (p.size() > 1) {
            throw new CliException(command + " takes one service name, got " + p.size() + " arguments: "
                    + String.join(" ", p));
        }
        return validName("service name", p.getFirst());
    }

    /**
     * @param args    parsed arguments
     * @param command the command's name, for the message
     * @throws CliException if there is any positional
     */
    static void noPositionals(Args args, String command) {
        if (!args.positionals().isEmpty()) {
            throw new CliException(command + " takes no arguments, got '" + args.positionals().getFirst() + "'");
        }
    }

    /**
     * @param what  what the name is, for the message
     * @param value a service name
     * @return it, if it is a DNS label
     * @throws CliException otherwise
     */
    static String validName(String what, String value) {
        return local(() -> Validation.dnsLabel(what, value));
    }

    /**
     * Runs a {@link Validation} check, turning its error into a usage error (exit status 2).
     *
     * @param check the check
     * @param <T>   its result type
     * @return its result
     */
    static <T> T local(java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (OrchestratorException e) {
            throw new CliException(e.getMessage());
        }
    }

    /**
     * @param args    parsed arguments
     * @param name    an integer option
     * @param min     inclusive lower bound
     * @param max     inclusive upper bound
     * @param absent  the value if the option is not given
     * @return the value
     * @throws CliException if it is not an integer within bounds
     */
    static int intOption(Args args, String name, int min, int max, int absent) {
        if (args.value(name).isEmpty()) {
            return absent;
        }
        int v = args.intValue(name, absent);
        local(() -> Validation.range("--" + name, v, min, max));
        return v;
    }

    /**
     * @param json JSON from the server, as sent
     * @return it, indented
     */
    static String pretty(String json) {
        return JsonText.pretty(json);
    }

    /**
     * @param value a text field of an answer
     * @return it, or {@code -} when absent or empty
     */
    static String text(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }

    /**
     * @param value a number field of an answer
     * @return it in decimal, or {@code -} when absent
     */
    static String text(Number value) {
        return value == null ? "-" : value.toString();
    }
}
