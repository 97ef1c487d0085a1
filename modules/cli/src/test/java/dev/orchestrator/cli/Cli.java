package dev.orchestrator.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Map;

/** Runs the launcher in-process with a chosen environment and captures what it prints. */
final class Cli {
    /** The clock of every test run: 2024-01-15T10:33:45Z. */
    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-15T10:33:45Z"), ZoneOffset.UTC);

    /** The result of one run. */
    record Result(int status, String out, String err) {
    }

    private Cli() {
    }

    static Result run(Map<String, String> vars, String stdin, String... argv) {
        var out = new ByteArrayOutputStream();
        var err = new ByteArrayOutputStream();
        var env = new Env(vars, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), CLOCK);
        int status = Main.run(Arrays.asList(argv), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs against {@code server} with password {@code secret} from the environment. */
    static Result against(FakeServer server, String... argv) {
        return run(Map.of("ORCHESTRATOR_URL", server.url(), "ORCHESTRATOR_PASSWORD", "secret"), "", argv);
    }
}
