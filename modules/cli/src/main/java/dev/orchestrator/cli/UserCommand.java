package dev.orchestrator.cli;

import dev.orchestrator.wire.PasswordRequest;
import dev.orchestrator.wire.RoleRequest;
import dev.orchestrator.wire.UserRequest;
import dev.orchestrator.wire.Views;
import java.io.Console;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code orchestrator user}: lists ({@code user ls}), adds ({@code user add}), sets the password
 * of ({@code user passwd}), gives another role to ({@code user role}) and removes
 * ({@code user rm}) the API's users. A new password is read from standard input or typed at a
 * terminal prompt, never taken from the command line. Blocks on the server.
 */
final class UserCommand extends ClientCommand {
    private static final Set<String> VALUED = Set.of("role", "o", "output");
    private static final String ROLES = "admin, operator or viewer";

    UserCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "user";
    }

    @Override
    public String summary() {
        return "List, add and remove API users; set their passwords and roles";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator user ls [-o table|json]
                       orchestrator user add NAME --role ROLE [--password-stdin]
                       orchestrator user passwd NAME [--password-stdin]
                       orchestrator user role NAME ROLE
                       orchestrator user rm NAME

                The users of the REST API, the CLI and the dashboard, each with one role:
                  viewer    reads everything (services, logs, events, nodes, metrics)
                  operator  also deploys, scales, rolls back, removes services; cordons,
                            uncordons and drains nodes
                  admin     also manages users, join tokens and registry credentials
                Every user may set its own password; everything else here needs an admin.

                'user ls' lists the users and roles (GET /api/users), never a password:

                  NAME   ROLE      CREATED              UPDATED
                  admin  admin     2026-12-03 12:00:00  2026-12-03 12:00:00
                  vera   viewer    2026-12-03 12:05:00  2026-12-03 12:05:00

                'user add NAME --role ROLE' adds a user (POST /api/users) and prints
                'User NAME added (role ROLE)'. 'user passwd NAME' sets NAME's password
                (PUT /api/users/NAME/password); the old one stops working at once. The new
                password (8-1024 characters) is typed twice at a prompt, or with
                --password-stdin read from the first line of standard input, never an argument:

                  printf '%s\\n' "$NEW_PASSWORD" | orchestrator user add vera --role viewer \\
                      --password-stdin

                Here --password-stdin is the new user's password: yours comes from
                $ORCHESTRATOR_PASSWORD, and --password is refused.

                'user role NAME ROLE' gives NAME another role (PUT /api/users/NAME/role).
                'user rm NAME' removes NAME (DELETE /api/users/NAME). The last admin can be
                neither removed nor given another role.

                Options:
                      --role ROLE       admin, operator or viewer (add)
                      --password-stdin  read the new password from standard input (add, passwd)
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, VALUED, Set.of());
        List<String> p = args.positionals();
        if (p.isEmpty()) {
            throw new CliException("user needs a subcommand: ls, add, passwd, role or rm (see orchestrator user"
                    + " --help)");
        }
        List<String> rest = p.subList(1, p.size());
        return switch (p.getFirst()) {
            case "ls" -> list(args, rest, out);
            case "add" -> add(args, rest, out);
            case "passwd" -> passwd(args, rest, out);
            case "role" -> role(args, rest, out);
            case "rm" -> remove(args, rest, out);
            default -> throw new CliException("unknown user subcommand '" + p.getFirst()
                    + "': use ls, add, passwd, role or rm (see orchestrator user --help)");
        };
    }

    private int list(Args args, List<String> rest, PrintStream out) {
        if (!rest.isEmpty()) {
            throw new CliException("user ls takes no arguments, got '" + rest.getFirst() + "'");
        }
        only(args, "user ls", "o", "output");
        boolean json = json(args);
        try (ApiClient api = connect(args)) {
            var users = api.getList("/api/users", Views.User.class);
            if (json) {
                out.println(pretty(users.json()));
            } else {
                table(users.value()).print(out);
            }
        }
        return 0;
    }

    private int add(Args args, List<String> rest, PrintStream out) {
        String name = name("user add", rest, 1);
        only(args, "user add", "role");
        String role = role(args.value("role").orElseThrow(() -> new CliException("user add needs --role ROLE ("
                + ROLES + ")")));
        String password = newPassword(args, "user add", name);
        try (ApiClient api = ApiClient.connectWithoutStdin(args, env)) {
            api.post("/api/users", new UserRequest(name, password, role), Views.User.class);
        }
        out.println("User " + name + " added (role " + role + ")");
        return 0;
    }

    private int passwd(Args args, List<String> rest, PrintStream out) {
        String name = name("user passwd", rest, 1);
        only(args, "user passwd");
        String password = newPassword(args, "user passwd", name);
        try (ApiClient api = ApiClient.connectWithoutStdin(args, env)) {
            api.put("/api/users/" + name + "/password", new PasswordRequest(password), Void.class);
        }
        out.println("Password of user " + name + " changed");
        return 0;
    }

    private int role(Args args, List<String> rest, PrintStream out) {
        if (rest.size() != 2) {
            throw new CliException("user role takes a user name and a role (" + ROLES + "), got " + rest.size()
                    + " arguments");
        }
        String name = name("user role", rest.subList(0, 1), 1);
        String role = role(rest.get(1));
        only(args, "user role");
        try (ApiClient api = connect(args)) {
            api.put("/api/users/" + name + "/role", new RoleRequest(role), Views.User.class);
        }
        out.println("User " + name + " is now " + role);
        return 0;
    }

    private int remove(Args args, List<String> rest, PrintStream out) {
        String name = name("user rm", rest, 1);
        only(args, "user rm");
        try (ApiClient api = connect(args)) {
            api.delete("/api/users/" + name, Void.class);
        }
        out.println("User " + name + " removed");
        return 0;
    }

    /**
     * @param users the answer of {@code GET /api/users}
     * @return the {@code user ls} table
     */
    static Table table(List<Views.User> users) {
        var t = new Table("NAME", "ROLE", "CREATED", "UPDATED");
        for (Views.User u : users) {
            t.row(text(u.name()), text(u.role()), time(u.createdAt()), time(u.updatedAt()));
        }
        return t;
    }

    private static String time(String iso) {
        String t = text(iso);
        return t.equals("-") ? t : EventsCommand.utc(t);
    }

    /** The one user name, checked as the server would, so it is safe in a URL path as it is. */
    private static String name(String command, List<String> rest, int count) {
        if (rest.size() != count) {
            throw new CliException(command + " takes one user name, got " + rest.size() + " arguments");
        }
        String name = rest.getFirst();
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._@-]{0,252}")) {
            throw new CliException(command + ": a user name is 1-253 letters, digits, '.', '_', '@' and '-',"
                    + " starting with a letter or digit, got '" + (name.length() <= 80 ? name : name.substring(0, 77)
                    + "...") + "'");
        }
        return name;
    }

    private static String role(String role) {
        if (!Set.of("admin", "operator", "viewer").contains(role)) {
            throw new CliException("a role is " + ROLES + ", got '" + (role.length() <= 40 ? role
                    : role.substring(0, 37) + "...") + "'");
        }
        return role;
    }

    /** Refuses the options a subcommand does not take (and --password, which would be ambiguous). */
    private static void only(Args args, String command, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (String option : List.of("role", "o", "output")) {
            if (!ok.contains(option) && args.value(option).isPresent()) {
                throw new CliException(command + " takes no " + (option.length() == 1 ? "-" : "--") + option);
            }
        }
        if (args.value("password").isPresent()) {
            // Not echoed: it is a password.
            throw new CliException(command + " takes no --password: your own password comes from"
                    + " $ORCHESTRATOR_PASSWORD, the new one from --password-stdin or the prompt");
        }
    }

    /** The new password: standard input's first line, or typed twice at the terminal. */
    private String newPassword(Args args, String command, String name) {
        if (args.flag("password-stdin")) {
            String line = ApiClient.stdinLine(env);
            if (line == null || line.isEmpty()) {
                throw new CliException("--password-stdin: standard input holds no password");
            }
            return line;
        }
        Console console = System.console();
        if (console == null) {
            throw new CliException(command + " needs the new password: pipe it to --password-stdin");
        }
        char[] first = console.readPassword("New password for %s: ", name);
        char[] again = console.readPassword("Again: ");
        try {
            if (first == null || again == null || !Arrays.equals(first, again)) {
                throw new CliException(command + ": the two passwords differ; nothing changed");
            }
            return new String(first);
        } finally {
            if (first != null) {
                Arrays.fill(first, '\0');
            }
            if (again != null) {
                Arrays.fill(again, '\0');
            }
        }
    }
}
