package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
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
                Usage: orchestrator events [--service NAME] [--since TIME] [--limit N] [-o table|json]

                Prints orchestration events (GET /api/events), oldest first, one per line, with
                their time in UTC:

                  [2024-01-15 10:23:45] Container api-server-2 failed health check
                  [2024-01-15 10:23:46] Restarting api-server-2...
                  [2024-01-15 10:23:50] Container api-server-2 healthy

                Options:
                  --service NAME       only the events of this service
                  --since TIME         only events at or after TIME: an ISO-8601 instant
                                       (2024-01-15T10:23:45Z), a UTC time as printed here
                                       ('2024-01-15 10:23:45'), a UTC date (2024-01-15), or a
                                       duration back from now (30s, 10m, 2h)
                  --limit N            at most the newest N events, 1..10000 (default 100)
                """ + OUTPUT_HELP + "\n" + ApiClient.HELP;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = parse(argv, Set.of("o", "output", "service", "since", "limit"), Set.of());
        noPositionals(args, "events");
        boolean json = json(args);
        var query = new ArrayList<String>();
        args.value("service").ifPresent(s -> query.add("service=" + validName("--service", s)));
        args.value("since").ifPresent(s -> query.add("since=" + ApiClient.encode(since(s, env.clock()).toString())));
        if (args.value("limit").isPresent()) {
            query.add("limit=" + intOption(args, "limit", 1, 10_000, 100));
        }
        String path = "/api/events" + (query.isEmpty() ? "" : "?" + String.join("&", query));
        try (ApiClient api = connect(args)) {
            JsonNode events = api.getArray(path);
            if (json) {
                out.println(pretty(events));
            } else {
                events.forEach(e -> out.println(line(e)));
            }
        }
        return 0;
    }

    /**
     * @param event one event of {@code GET /api/events}
     * @return e.g. {@code [2024-01-15 10:23:45] Container api-server-2 failed health check}
     */
    static String line(JsonNode event) {
        String message = event.path("message").isTextual() ? event.get("message").asText() : text(event, "type");
        return "[" + utc(event.path("timestamp").asText()) + "] " + message;
    }

    /**
     * @param timestamp an ISO-8601 instant from the server
     * @return it in UTC as {@code 2024-01-15 10:23:45}, or as sent if it is not an instant
     */
    static String utc(String timestamp) {
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
