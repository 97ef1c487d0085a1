package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code orchestrator logs NAME}: the logs of every replica of a service, from every node. */
final class LogsCommand extends ClientCommand {
    LogsCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "logs";
    }

    @Override
    public String summary() {
        return "Print (or follow) the logs of a service's replicas";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator logs NAME [-f] [--tail N] [--since TIME] [--until TIME]
                                         [--replica REPLICA] [--timestamps]

                Prints the logs of every replica of the service NAME on every node
                (GET /api/services/NAME/logs), merged by time, each line prefixed with its
                replica, as docker compose logs does:

                  api-server-0 | listening on 8080
                  api-server-1 | listening on 8080

                Nodes keep the output of replicas that crashed or were replaced too, within a
                size and age bound per service. A node that does not answer within 3 s is named
                on a line of its own ('-- node-2: ...'); the others' lines are not held up.

                Options:
                  -f, --follow         keep printing new lines as the replicas write them, from
                                       every node, across restarts and replacements, until
                                       interrupted (after a lost connection it reconnects and
                                       resumes after the last line printed)
                  --tail N             the last N lines of each replica, 0 for all
                                       (default 100, at most 100000)
                  --since TIME         only lines at or after TIME: an ISO-8601 instant or a
                                       duration back from now (30s, 10m, 2h)
                  --until TIME         only lines before TIME (not with -f)
                  --replica REPLICA    only this replica's lines, e.g. api-server-2
                  --timestamps         print each line's time (UTC, as the runtime recorded it)
                """ + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of("tail", "since", "until", "replica"), Set.of("f", "follow", "timestamps"));
        String name = serviceName(args, "logs");
        boolean follow = args.flag("f") || args.flag("follow");
        boolean timestamps = args.flag("timestamps");
        if (follow && args.value("until").isPresent()) {
            throw new CliException("--until cannot be used with --follow");
        }
        var query = new ArrayList<String>();
        if (args.value("tail").isPresent()) {
            query.add("tail=" + intOption(args, "tail", 0, 100_000, 100));
        }
        args.value("since").ifPresent(s -> query.add("since=" + ApiClient.encode(
                EventsCommand.since(s, env.clock()).toString())));
        args.value("until").ifPresent(s -> query.add("until=" + ApiClient.encode(
                EventsCommand.since(s, env.clock()).toString())));
        args.value("replica").ifPresent(r -> query.add("replica=" + validName("--replica", r)));
        String path = "/api/services/" + name + "/logs";
        try (ApiClient api = connect(args)) {
            if (follow) {
                query.add("follow=true");
                follow(api, path + "?" + String.join("&", query), timestamps, out);
                return 0;
            }
            if (timestamps) {
                query.add("timestamps=true");
            }
            String text = api.getText(path + (query.isEmpty() ? "" : "?" + String.join("&", query)));
            out.print(text);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.println();
            }
        }
        return 0;
    }

    /** Prints the stream until interrupted, reconnecting after a lost connection. */
    private static void follow(ApiClient api, String path, boolean timestamps, PrintStream out) {
        EventsCommand.stream(api, path, new EventsCommand.SseReader((event, data) -> print(event, data, timestamps,
                out)), "logs");
    }

    /**
     * Prints one streamed event: a {@code line} as {@code REPLICA | [TIME ]LINE}, a {@code notice}
     * as {@code -- NODE: MESSAGE}; data that is neither is skipped.
     *
     * @param event      the event's name
     * @param data       its data
     * @param timestamps true to print each line's time
     * @param out        where it goes
     */
    static void print(String event, String data, boolean timestamps, PrintStream out) {
        if ("notice".equals(event)) {
            ApiClient.event(data, Views.LogNotice.class).ifPresent(n -> {
                out.println("-- " + plain(n.node()) + ": " + plain(n.message()));
                out.flush();
            });
        } else {
            ApiClient.event(data, Views.LogLine.class).ifPresent(l -> {
                out.println(plain(l.replica()) + " | " + (timestamps ? plain(l.time()) + " " : "") + plain(l.line()));
                out.flush();
            });
        }
    }

    /** A field a line lacks prints as nothing, not as {@code null}. */
    private static String plain(String field) {
        return field == null ? "" : field;
    }
}
