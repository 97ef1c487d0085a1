package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** One record, one line: the text and JSON forms, levels, components, escaping and masking. */
class LogFormatterTest {
    private static final Instant T = Instant.parse("2026-12-01T23:05:10.123Z");
    private static final String TOKEN = "orc1.0123456789ab.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    private static LogRecord record(Level level, String logger, String message, Throwable t) {
        var r = new LogRecord(level, message);
        r.setLoggerName(logger);
        r.setInstant(T);
        r.setThrown(t);
        return r;
    }

    private static String text(LogRecord r) {
        return new LogFormatter(LogFormatter.Style.TEXT, false, List.of()).format(r);
    }

    @Test
    void textIsTimeLevelComponentMessageOnOneLine() {
        assertEquals("2026-12-01T23:05:10.123Z INFO  cluster: node n1 joined\n",
                text(record(Level.INFO, "dev.orchestrator.cluster.ReportIntake", "node n1 joined", null)));
        assertEquals("2026-12-01T23:05:10.123Z WARN  helidon: x\n",
                text(record(Level.WARNING, "io.helidon.webserver.LoomServer", "x", null)));
    }

    @Test
    void levelsMapToOurNames() {
        assertEquals("ERROR", LogFormatter.level(Level.SEVERE));
        assertEquals("WARN", LogFormatter.level(Level.WARNING));
        assertEquals("INFO", LogFormatter.level(Level.INFO));
        assertEquals("DEBUG", LogFormatter.level(Level.CONFIG));
        assertEquals("DEBUG", LogFormatter.level(Level.FINE));
        assertEquals("TRACE", LogFormatter.level(Level.FINER));
        assertEquals("TRACE", LogFormatter.level(Level.FINEST));
        // System.Logger's levels, as JUL gets them.
        var out = new ByteArrayOutputStream();
        var handler = new Logging.LineHandler(new PrintStream(out, true, StandardCharsets.UTF_8),
                new LogFormatter(LogFormatter.Style.TEXT, false, List.of()));
        Logger jul = Logger.getLogger("dev.orchestrator.test.LevelsProbe");
        jul.setUseParentHandlers(false);
        jul.setLevel(Level.ALL);
        jul.addHandler(handler);
        try {
            System.Logger log = System.getLogger("dev.orchestrator.test.LevelsProbe");
            log.log(System.Logger.Level.ERROR, "e");
            log.log(System.Logger.Level.WARNING, "w");
            log.log(System.Logger.Level.INFO, "i");
            log.log(System.Logger.Level.DEBUG, "d");
        } finally {
            jul.removeHandler(handler);
        }
        List<String> levels = out.toString(StandardCharsets.UTF_8).lines().map(l -> l.split(" +")[1]).toList();
        assertEquals(List.of("ERROR", "WARN", "INFO", "DEBUG"), levels);
    }

    @Test
    void componentIsAShortNameOfTheLogger() {
        assertEquals("cluster", LogFormatter.component("dev.orchestrator.cluster.ReportIntake"));
        assertEquals("orchestration", LogFormatter.component("dev.orchestrator.orchestration.Reconciler$Worker"));
        assertEquals("runtime-docker", LogFormatter.component("dev.orchestrator.runtime.docker.DockerRuntime"));
        assertEquals("helidon", LogFormatter.component("io.helidon.common.features.HelidonFeatures"));
        assertEquals("helidon", LogFormatter.component("io.helidon"));
        assertEquals("httpclient", LogFormatter.component("jdk.internal.httpclient"));
        assertEquals("root", LogFormatter.component(""));
        assertEquals("root", LogFormatter.component(null));
        assertEquals("global", LogFormatter.component("global"));
        // MyBatis: the mapper interface, then the statement.
        assertEquals("store-internal", LogFormatter.component("dev.orchestrator.store.internal.UserMapper.upsert"));
    }

    @Test
    void lineBreaksAndControlCharactersAreEscaped() {
        String line = text(record(Level.WARNING, "dev.orchestrator.node.Watcher", "a\nb\r\nc\td\u0007", null));
        assertEquals("2026-12-01T23:05:10.123Z WARN  node: a\\nb\\r\\nc\\td\\u0007\n", line);
        assertEquals(1, line.lines().count());
    }

    @Test
    void parametersAreFormatted() {
        var r = record(Level.INFO, "dev.orchestrator.orchestration.EventLog", "[{0}] {1}", null);
        r.setParameters(new Object[] {"deploy", "web: 2 replicas"});
        assertEquals("2026-12-01T23:05:10.123Z INFO  orchestration: [deploy] web: 2 replicas\n", text(r));
    }

    @Test
    void anExceptionIsASummaryOnTheSameLineAndItsTraceOnlyAtDebug() {
        var e = new IllegalStateException("outer\nline", new java.io.IOException("disk full"));
        String info = text(record(Level.SEVERE, "dev.orchestrator.server.ErrorResponses", "internal error", e));
        assertEquals("2026-12-01T23:05:10.123Z ERROR server: internal error: error: java.lang.IllegalStateException:"
                + " outer\\nline; caused by: java.io.IOException: disk full\n", info);
        String debug = new LogFormatter(LogFormatter.Style.TEXT, true, List.of())
                .format(record(Level.SEVERE, "dev.orchestrator.server.ErrorResponses", "internal error", e));
        assertTrue(debug.startsWith(info), debug);
        assertTrue(debug.contains("\tat dev.orchestrator.cli.LogFormatterTest."), debug);
        assertTrue(debug.lines().count() > 3, debug);
    }

    @Test
    void jsonIsOneObjectPerLineThatJacksonReadsBack() throws IOException {
        var e = new RuntimeException("boom \"quoted\"");
        var f = new LogFormatter(LogFormatter.Style.JSON, false, List.of());
        String line = f.format(record(Level.WARNING, "dev.orchestrator.cluster.NodeLinks",
                "logs of \"c1\"\non n1 \\ done \u0001", e));
        assertTrue(line.endsWith("}\n"), line);
        assertEquals(1, line.lines().count(), line);
        JsonNode n = new ObjectMapper().readTree(line);
        assertEquals("2026-12-01T23:05:10.123Z", n.get("time").asText());
        assertEquals("WARN", n.get("level").asText());
        assertEquals("cluster", n.get("component").asText());
        assertEquals("dev.orchestrator.cluster.NodeLinks", n.get("logger").asText());
        assertEquals("logs of \"c1\"\non n1 \\ done \u0001", n.get("message").asText());
        assertEquals("java.lang.RuntimeException: boom \"quoted\"", n.get("error").asText());
        assertFalse(n.has("stack"));
        assertEquals(List.of("time", "level", "component", "logger", "message", "error"),
                iterable(n.fieldNames()));

        JsonNode plain = new ObjectMapper().readTree(f.format(record(Level.INFO, "x.Y", "hi", null)));
        assertFalse(plain.has("error"));
        JsonNode debug = new ObjectMapper().readTree(new LogFormatter(LogFormatter.Style.JSON, true, List.of())
                .format(record(Level.SEVERE, "x.Y", "hi", e)));
        assertTrue(debug.get("stack").asText().contains("\tat "), debug.toString());
    }

    @Test
    void secretsTokensAndCredentialsAreMasked() throws IOException {
        var f = new LogFormatter(LogFormatter.Style.TEXT, true, List.of("hunter2-secret", ""));
        String line = f.format(record(Level.INFO, "dev.orchestrator.server.Admin",
                "password hunter2-secret token " + TOKEN + " header Authorization: Bearer abcdefgh12345678"
                        + " basic Basic YWRtaW46aHVudGVyMg==",
                new IllegalStateException("bad token " + TOKEN)));
        assertFalse(line.contains("hunter2-secret"), line);
        assertFalse(line.contains(TOKEN), line);
        assertFalse(line.contains("abcdefgh12345678"), line);
        assertFalse(line.contains("YWRtaW46aHVudGVyMg=="), line);
        assertTrue(line.contains("password *** token orc1.0123456789ab.*** header Authorization: Bearer ***"
                + " basic Basic ***"), line);
        assertTrue(line.contains("bad token orc1.0123456789ab.***"), line);
        String pinned = "orc2." + "P".repeat(43) + ".0123456789ab." + "s".repeat(43);
        String credential = "orn1." + "c".repeat(43);
        String both = f.format(record(Level.WARNING, "x.Y", "token " + pinned + " credential " + credential, null));
        assertTrue(both.contains("token orc2." + "P".repeat(43) + ".0123456789ab.*** credential orn1.***"), both);
        String json = new LogFormatter(LogFormatter.Style.JSON, false, List.of("hunter2-secret"))
                .format(record(Level.INFO, "x.Y", "pw hunter2-secret", null));
        assertEquals("pw ***", new ObjectMapper().readTree(json).get("message").asText());
        // A short secret would mask ordinary words: it is not a mask.
        assertEquals("2026-12-01T23:05:10.123Z INFO  x: a cat\n",
                new LogFormatter(LogFormatter.Style.TEXT, false, List.of("a")).format(record(Level.INFO, "x", "a cat",
                        null)));
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        var l = new java.util.ArrayList<String>();
        it.forEachRemaining(l::add);
        return l;
    }
}
