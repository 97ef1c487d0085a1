package dev.orchestrator.cli;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** {@code orchestrator events}: what the orchestrator did and saw, oldest first. */
final class EventsCommand extends ClientCommand {
    private static final DateTimeFormatter LINE_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    EventsCommand(Env env) {
        super(env);
    }

    @Override
    public String name() {
        return "events";
    }

    @Override
    public String summary() {
        return "Show orchestration events: deploys, failures, restarts";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator events [-f] [--service NAME] [--type TYPE] [--node NAME] [--since TIME]
                                           [--limit N] [-o table|json]

                Prints orchestration events (GET /api/events), oldest first, one per line, with
                their time in UTC:

                  [2024-01-15 10:23:45] Container api-server-2 failed health check
                  [2024-01-15 10:23:46] Restarting api-server-2...
                  [2024-01-15 10:23:50] Container api-server-2 healthy

                Options:
                  -f, --follow         keep printing events as they happen, until interrupted
                                       (server-sent events; after a lost connection it
                                       reconnects and resumes after the last event printed)
                  --service NAME       only the events of this service
                  --type TYPE          only events of this type: deploy, scale, container,
                                       health_check, node, schedule, update, auth, ...
                  --node NAME          only events about this node
                  --since TIME         only events at or after TIME: an ISO-8601 instant
                                       (2024-01-15T10:23:45Z), a UTC time as printed here
                                       ('2024-01-15 10:23:45'), a UTC date (2024-01-15), or a
                                       duration back from now (30s, 10m, 2h)
                  --limit N            at most the newest N events, 1..10000 (default 100);
                                       with -f, the newest N before the live ones
                  -o json              one JSON object per event (with -f: one per line)
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of("o", "output", "service", "type", "node", "since", "limit"),
                Set.of("f", "follow"));
        noPositionals(args, "events");
        boolean json = json(args);
        var query = new ArrayList<String>();
        args.value("service").ifPresent(s -> query.add("service=" + validName("--service", s)));
        args.value("node").ifPresent(s -> query.add("node=" + validName("--node", s)));
        args.value("type").ifPresent(s -> query.add("type=" + ApiClient.encode(s)));
        args.value("since").ifPresent(s -> query.add("since=" + ApiClient.encode(since(s, env.clock()).toString())));
        if (args.value("limit").isPresent()) {
            query.add("limit=" + intOption(args, "limit", 1, 10_000, 100));
        }
        if (args.flag("f") || args.flag("follow")) {
            query.add("follow=true");
            try (ApiClient api = connect(args)) {
                follow(api, "/api/events?" + String.join("&", query), json, out);
            }
            return 0;
        }
        String path = "/api/events" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        try (ApiClient api = connect(args)) {
            var events = api.getList(path, Views.Event.class);
            if (json) {
                out.println(pretty(events.json()));
            } else {
                events.value().forEach(e -> out.println(line(e)));
            }
        }
        return 0;
    }

    /**
     * Prints the stream until interrupted; after a lost connection (the server restarting),
     * reconnects every second and resumes after the last event printed. A refusal (bad
     * option, wrong password) ends it.
     */
    private static void follow(ApiClient api, String path, boolean json, PrintStream out) {
        stream(api, path, new SseReader((event, data) -> print(data, json, out)), "events");
    }

    /**
     * Prints one streamed event: its line, or with {@code -o json} its JSON on one line; data that
     * is not an event is skipped.
     *
     * @param data the data of one server-sent event
     * @param json true for {@code -o json}
     * @param out  where it goes
     */
    static void print(String data, boolean json, PrintStream out) {
        ApiClient.event(data, Views.Event.class).ifPresent(e -> {
            out.println(json ? JsonText.compact(data) : line(e));
            out.flush();
        });
    }

    /**
     * Reads a server-sent event stream until interrupted; after a lost connection (the server
     * restarting) reconnects every second with {@code Last-Event-ID}, resuming after the last
     * event read. A refusal of the first request ends it.
     *
     * @param api     the client
     * @param path    the stream's path and query
     * @param reader  where the lines go
     * @param command for the message on a lost connection
     * @throws ApiException if the first request is refused or the server cannot be reached
     */
    static void stream(ApiClient api, String path, SseReader reader, String command) {
        boolean lost = false;
        while (true) {
            try {
                api.stream(path, reader.lastId(), reader::line);
                lost = false; // the server ended the stream (it stopped): resume
            } catch (java.io.UncheckedIOException | ApiException e) {
                if (e instanceof ApiException && !lost && reader.lastId() == 0) {
                    throw e; // the first request failed: a refusal or no server at all
                }
                if (!lost) {
                    System.err.println(command + ": connection lost (" + e.getMessage() + "); reconnecting");
                    lost = true;
                }
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The text/event-stream format, line by line: {@code id:}, {@code event:} and {@code data:}
     * fields, a blank line ends an event, {@code :} lines are comments. Not thread-safe.
     */
    static final class SseReader {
        private final java.util.function.BiConsumer<String, String> onData;
        private final StringBuilder data = new StringBuilder();
        private String event = "message";
        private long lastId;
        private long pendingId;

        /** @param onData receives each event's name ({@code message} if none) and data */
        SseReader(java.util.function.BiConsumer<String, String> onData) {
            this.onData = onData;
        }

        /** @return the id of the last complete event, 0 before the first */
        long lastId() {
            return lastId;
        }

        void line(String line) {
            if (line.isEmpty()) {
                if (!data.isEmpty()) {
                    onData.accept(event, data.toString());
                    data.setLength(0);
                }
                event = "message";
                if (pendingId > 0) {
                    lastId = pendingId;
                }
                return;
            }
            if (line.startsWith(":")) {
                return;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            if (field.equals("data")) {
                if (!data.isEmpty()) {
                    data.append('\n');
                }
                data.append(value);
            } else if (field.equals("event")) {
                event = value;
            } else if (field.equals("id") && value.matches("[0-9]{1,18}")) {
                pendingId = Long.parseLong(value);
            }
        }
    }

    /**
     * @param event one event of {@code GET /api/events}
     * @return e.g. {@code [2024-01-15 10:23:45] Container api-server-2 failed health check}
     */
    static String line(Views.Event event) {
        String message = event.message() != null ? event.message() : text(event.type());
        return "[" + utc(event.timestamp()) + "] " + message;
    }

    /**
     * @param timestamp an ISO-8601 instant from the server, or null
     * @return it in UTC as {@code 2024-01-15 10:23:45}, as sent if it is not an instant, empty if null
     */
    static String utc(String timestamp) {
        if (timestamp == null) {
            return "";
        }
        try {
            return LINE_TIME.format(Instant.parse(timestamp));
        } catch (DateTimeParseException e) {
            return timestamp;
        }
    }

    /**
     * @param text  {@code --since}: an instant, a UTC date-time or date, or a duration back from now
     * @param clock the clock
     * @return the instant, to the second
     * @throws CliException if it is none of these
     */
    static Instant since(String text, Clock clock) {
        String t = text.trim();
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay().toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // next form
        }
        try {
            return clock.instant().minus(Validation.duration("--since", t)).truncatedTo(ChronoUnit.SECONDS);
        } catch (OrchestratorException e) {
            throw new CliException("--since must be a time such as 2024-01-15T10:23:45Z or a duration such as 10m,"
                    + " got '" + text + "'");
        }
    }
}
