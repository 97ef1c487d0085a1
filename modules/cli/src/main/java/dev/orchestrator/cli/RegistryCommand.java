package dev.orchestrator.cli;

import dev.orchestrator.wire.RegistryLoginRequest;
import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code orchestrator registry}: sets ({@code registry login}), lists ({@code registry ls}) and
 * removes ({@code registry logout}) the cluster's container registry credentials. The password
 * is read from standard input only, never from the command line. Blocks on the server.
 */
final class RegistryCommand extends ClientCommand {
    /** A host as image references name it, roughly: the server checks the rest. */
    private static final Pattern HOST = Pattern.compile("[a-z0-9.-]{1,253}(?::[0-9]{1,5})?");
    private static final Set<String> LOGIN = Set.of("username", "u");

    RegistryCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "registry";
    }

    @Override
    public String summary() {
        return "Set, list and remove the credentials of container registries";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator registry login HOST --username USER --password-stdin
                       orchestrator registry ls [-o table|json]
                       orchestrator registry logout HOST

                Credentials for the private registries that services' images come from, for the
                whole cluster (like 'docker login', but stored on the server, which hands them to
                the nodes that pull from HOST). HOST is the registry as image references name it:
                registry.example.com, 127.0.0.1:5000, localhost:5000; docker.io for Docker Hub.

                'registry login HOST' sets HOST's credentials, replacing those it had
                (PUT /api/registries/HOST), and prints 'Login Succeeded for HOST'. The password
                (or token) is the first line of standard input, never an argument, so that it
                shows in no process list and no shell history:

                  printf '%s\\n' "$REGISTRY_TOKEN" | orchestrator registry login \\
                      registry.example.com --username ci --password-stdin

                Here --password-stdin is the registry's password: the server's own password comes
                from $ORCHESTRATOR_PASSWORD. The server stores the password encrypted and never
                shows it again.

                'registry ls' lists the registries with credentials (GET /api/registries),
                never a password:

                  HOST            USERNAME  UPDATED
                  127.0.0.1:5000  ci        2026-11-27 12:00:00

                UPDATED is in UTC.

                'registry logout HOST' removes HOST's credentials (DELETE /api/registries/HOST)
                and prints 'Removed login credentials for HOST'.

                Options:
                  -u, --username USER  the registry user (login)
                      --password-stdin read the registry password from standard input (login)
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, union(OUTPUT, LOGIN), Set.of());
        List<String> p = args.positionals();
        if (p.isEmpty()) {
            throw new CliException("registry needs a subcommand: login, ls or logout (see orchestrator registry"
                    + " --help)");
        }
        List<String> rest = p.subList(1, p.size());
        return switch (p.getFirst()) {
            case "login" -> login(args, rest, out);
            case "ls" -> list(args, rest, out);
            case "logout" -> logout(args, rest, out);
            default -> throw new CliException("unknown registry subcommand '" + p.getFirst()
                    + "': use login, ls or logout (see orchestrator registry --help)");
        };
    }

    private int login(Args args, List<String> rest, PrintStream out) {
        String host = host("registry login", rest);
        noOutput(args, "registry login");
        if (args.value("password").isPresent()) {
            // Not echoed: it is a password.
            throw new CliException("registry login takes no --password: pipe the registry's password to"
                    + " --password-stdin (the server's password comes from $ORCHESTRATOR_PASSWORD)");
        }
        String user = args.value("username").or(() -> args.value("u"))
                .orElseThrow(() -> new CliException("registry login needs --username USER"));
        if (!args.flag("password-stdin")) {
            throw new CliException("registry login needs --password-stdin, with the password on standard input");
        }
        String password = stdinLine();
        try (ApiClient api = ApiClient.connectWithoutStdin(args, env)) {
            api.put("/api/registries/" + host, new RegistryLoginRequest(user, password), Views.Registry.class);
        }
        out.println("Login Succeeded for " + host);
        return 0;
    }

    private int list(Args args, List<String> rest, PrintStream out) {
        if (!rest.isEmpty()) {
            throw new CliException("registry ls takes no arguments, got '" + rest.getFirst() + "'");
        }
        noLogin(args, "registry ls");
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var registries = api.getList("/api/registries", Views.Registry.class);
            if (json) {
                out.println(pretty(registries.json()));
            } else {
                table(registries.value()).print(out);
            }
        }
        return 0;
    }

    private int logout(Args args, List<String> rest, PrintStream out) {
        String host = host("registry logout", rest);
        noOutput(args, "registry logout");
        noLogin(args, "registry logout");
        try (ApiClient api = connect(args)) {
            api.delete("/api/registries/" + host, Views.Registry.class);
        }
        out.println("Removed login credentials for " + host);
        return 0;
    }

    /**
     * @param registries the answer of {@code GET /api/registries}
     * @return the {@code registry ls} table
     */
    static Table table(List<Views.Registry> registries) {
        var t = new Table("HOST", "USERNAME", "UPDATED");
        for (Views.Registry r : registries) {
            String updated = text(r.updatedAt());
            t.row(text(r.host()), text(r.username()), updated.equals("-") ? updated : EventsCommand.utc(updated));
        }
        return t;
    }

    /**
     * @param command the command, for the message
     * @param rest    the positionals after the subcommand
     * @return the one host, safe in a URL path as it is
     * @throws CliException if there is none, more than one, or it cannot be a registry host
     */
    static String host(String command, List<String> rest) {
        if (rest.size() != 1) {
            throw new CliException(command + " takes one registry host, e.g. registry.example.com or"
                    + " 127.0.0.1:5000, got " + rest.size() + " arguments");
        }
        String host = rest.getFirst();
        if (!HOST.matcher(host).matches()) {
            throw new CliException(command + ": the registry host must be named as in image references, e.g."
                    + " registry.example.com or 127.0.0.1:5000 (lower-case, no scheme, no path), got '"
                    + (host.length() <= 80 ? host : host.substring(0, 77) + "...") + "'");
        }
        return host;
    }

    private String stdinLine() {
        String line = ApiClient.stdinLine(env);
        if (line == null || line.isEmpty()) {
            throw new CliException("--password-stdin: standard input holds no password");
        }
        return line;
    }

    private static void noOutput(Args args, String command) {
        if (args.value("o").isPresent() || args.value("output").isPresent()) {
            throw new CliException(command + " takes no -o: it prints one line");
        }
    }

    private static void noLogin(Args args, String command) {
        if (args.value("username").isPresent() || args.value("u").isPresent()) {
            throw new CliException(command + " takes no --username");
        }
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        var all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
