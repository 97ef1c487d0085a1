package dev.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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

    /** Indents as {@code jq} does: two spaces, {@code "key": value}, {@code []} when empty. */
    private static final ObjectMapper PRETTY = new ObjectMapper().setDefaultPrettyPrinter(prettyPrinter())
            .enable(SerializationFeature.INDENT_OUTPUT);

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

    private static DefaultPrettyPrinter prettyPrinter() {
        var indent = new DefaultIndenter("  ", "\n");
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(indent)
                .withArrayIndenter(indent);
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
     * @param node JSON from the server
     * @return it, indented, as the API sent it
     */
    static String pretty(JsonNode node) {
        try {
            return PRETTY.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param node  an object from the server
     * @param field a field name
     * @return its text, or {@code -} when missing, null or empty
     */
    static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isMissingNode() || v.isNull() || v.asText().isEmpty() ? "-" : v.asText();
    }
}
