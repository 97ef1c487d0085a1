package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code orchestrator token}: creates ({@code token}, {@code token create}), lists
 * ({@code token ls}) and revokes ({@code token rm ID}) the tokens agents join with.
 */
final class TokenCommand extends ClientCommand {
    /** A token ID as the server lists it: safe in a URL path as it is. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A token as printed: one word of printable ASCII, so that {@code T=$(orchestrator token)} works. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7e]{1,4096}");

    TokenCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "token";
    }

    @Override
    public String summary() {
        return "Create, list and revoke the join tokens of agents";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator token [create] [-o json]
                       orchestrator token ls [-o table|json]
                       orchestrator token rm ID

                A join token lets an agent on another machine join this server as a node:

                  orchestrator agent --server URL --token T

                'token' (or 'token create') creates one (POST /api/tokens) and prints only the
                token, on one line, so that T=$(orchestrator token) works; -o json prints the
                server's answer instead (id, token, created_at). The token is shown this once: the
                server stores only its SHA-256 hash, so a lost token cannot be shown again; create
                another. Several tokens may be valid at once, e.g. one per machine or per person.

                'token ls' lists the valid tokens (GET /api/tokens), never the tokens themselves:

                  ID      CREATED
                  3f9a1c  2026-11-27 12:00:00

                CREATED is in UTC.

                'token rm ID' revokes the token ID (DELETE /api/tokens/ID) and prints
                'Token ID revoked': from then on the server refuses new heartbeats from agents
                using it.

                Options:
                  -o, --output FMT     table (default) or json (the API's JSON, indented); for
                                       'token' and 'token create', table is the token alone

                """ + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, OUTPUT, Set.of());
        List<String> p = args.positionals();
        String sub = p.isEmpty() ? "create" : p.getFirst();
        List<String> rest = p.isEmpty() ? List.of() : p.subList(1, p.size());
        return switch (sub) {
            case "create" -> create(args, rest, out);
            case "ls" -> list(args, rest, out);
            case "rm" -> revoke(args, rest, out);
            default -> throw new CliException("unknown token subcommand '" + sub
                    + "': use create, ls or rm (see orchestrator token --help)");
        };
    }

    private int create(Args args, List<String> rest, PrintStream out) {
        noMore("token create", rest);
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var answer = api.post("/api/tokens", null, Views.TokenCreated.class);
            out.println(json ? pretty(answer.json()) : token(answer.value(), api));
        }
        return 0;
    }

    private int list(Args args, List<String> rest, PrintStream out) {
        noMore("token ls", rest);
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var tokens = api.getList("/api/tokens", Views.Token.class);
            if (json) {
                out.println(pretty(tokens.json()));
            } else {
                table(tokens.value()).print(out);
            }
        }
        return 0;
    }

    private int revoke(Args args, List<String> rest, PrintStream out) {
        if (args.value("o").isPresent() || args.value("output").isPresent()) {
            throw new CliException("token rm takes no -o: it prints one line");
        }
        String id = id(rest);
        try (ApiClient api = connect(args)) {
            api.delete("/api/tokens/" + id, Views.Token.class);
        }
        out.println("Token " + id + " revoked");
        return 0;
    }

    /**
     * @param tokens the answer of {@code GET /api/tokens}
     * @return the {@code token ls} table
     */
    static Table table(List<Views.Token> tokens) {
        var t = new Table("ID", "CREATED");
        for (Views.Token token : tokens) {
            String created = text(token.createdAt());
            t.row(text(token.id()), created.equals("-") ? created : EventsCommand.utc(created));
        }
        return t;
    }

    /**
     * @param answer the answer of {@code POST /api/tokens}
     * @param api    the client, for the message
     * @return the token, to print alone on its line
     * @throws ApiException if the answer holds no token that fits on one line
     */
    static String token(Views.TokenCreated answer, ApiClient api) {
        String token = answer.token();
        if (token == null || !TOKEN.matcher(token).matches()) {
            throw new ApiException("the server at " + api.base() + " answered POST /api/tokens without a token:"
                    + " is it an orchestrator server of this version?");
        }
        return token;
    }

    /**
     * @param rest the positionals after {@code rm}
     * @return the one token ID, validated
     * @throws CliException if there is none, more than one, or it is not an ID
     */
    static String id(List<String> rest) {
        if (rest.isEmpty()) {
            throw new CliException("token rm needs a token ID, as 'orchestrator token ls' lists it");
        }
        if (rest.size() > 1) {
            throw new CliException("token rm takes one token ID, got " + rest.size() + " arguments");
        }
        String id = rest.getFirst();
        if (ID.matcher(id).matches()) {
            return id;
        }
        if (id.contains(".")) {
            // Not echoed: it looks like the token itself, a secret.
            throw new CliException("token rm needs the token's ID, as 'orchestrator token ls' lists it,"
                    + " not the token itself");
        }
        throw new CliException("token rm needs a token ID (1-64 letters, digits, '-' and '_'), as"
                + " 'orchestrator token ls' lists it, got '" + (id.length() <= 64 ? id : id.substring(0, 61) + "...")
                + "'");
    }

    private static void noMore(String command, List<String> rest) {
        if (!rest.isEmpty()) {
            throw new CliException(command + " takes no arguments, got '" + rest.getFirst() + "'");
        }
    }
}
