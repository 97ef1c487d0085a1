package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What {@code -o json} and the streams print: the server's JSON as sent, fields the wire records
 * do not know included, and each streamed event read into its record.
 */
class JsonTextTest {
    private static String printed(Consumer<PrintStream> print) {
        var bytes = new ByteArrayOutputStream();
        print.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void prettyKeepsOrderNumbersAndUnknownFields() {
        assertEquals("""
                {
                  "z": 1.5,
                  "a": [],
                  "later": {
                    "n": 12345678901234567890,
                    "o": {}
                  },
                  "s": "\\u0001é"
                }""", JsonText.pretty(" {\"z\":1.50, \"a\":[ ], \"later\":{\"n\":12345678901234567890,\"o\":{}},"
                + "\"s\":\"\\u0001é\"}\n"));
        assertEquals("[]", JsonText.pretty("[]"));
    }

    @Test
    void compactIsOneLine() {
        assertEquals("{\"a\":[1,2],\"b\":null}", JsonText.compact("{ \"a\" : [1, 2],\n \"b\": null }"));
    }

    @Test
    void followedEventsAreLinesOrTheirJson() {
        String data = "{\"timestamp\":\"2024-01-15T10:23:45Z\", \"type\":\"deploy\",\"message\":\"Deployed web\","
                + "\"id\":3,\"later\":true}";
        assertEquals("[2024-01-15 10:23:45] Deployed web\n", printed(out -> EventsCommand.print(data, false, out)));
        assertEquals("{\"timestamp\":\"2024-01-15T10:23:45Z\",\"type\":\"deploy\",\"message\":\"Deployed web\","
                + "\"id\":3,\"later\":true}\n", printed(out -> EventsCommand.print(data, true, out)));
        assertEquals("", printed(out -> EventsCommand.print("{\"cut\"", false, out)), "not an event: skipped");
        assertEquals("", printed(out -> EventsCommand.print("[1]", true, out)), "not an event: skipped");
    }

    @Test
    void followedLogLinesAndNotices() {
        String line = "{\"time\":\"2024-01-15T10:23:45.5Z\",\"replica\":\"web-0\",\"node\":\"node-1\","
                + "\"stream\":\"stdout\",\"line\":\"listening on 8080\"}";
        assertEquals("web-0 | listening on 8080\n", printed(out -> LogsCommand.print("line", line, false, out)));
        assertEquals("web-0 | 2024-01-15T10:23:45.5Z listening on 8080\n",
                printed(out -> LogsCommand.print("line", line, true, out)));
        assertEquals("-- node-2: lost; its lines resume when it is back\n", printed(out -> LogsCommand.print("notice",
                "{\"node\":\"node-2\",\"message\":\"lost; its lines resume when it is back\"}", false, out)));
        assertEquals("", printed(out -> LogsCommand.print("line", "not json", false, out)));
    }
}
