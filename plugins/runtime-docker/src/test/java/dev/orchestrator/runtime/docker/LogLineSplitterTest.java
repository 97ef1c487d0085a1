package dev.orchestrator.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.spi.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLineSplitterTest {
    private static final Instant T1 = Instant.parse("2026-11-27T10:00:00.000000001Z");
    private static final Instant T2 = Instant.parse("2026-11-27T10:00:01Z");

    @Test
    void oneFramePerLine() {
        LogLineSplitter s = new LogLineSplitter();
        s.accept("stdout", bytes("2026-11-27T10:00:00.000000001Z web: listening on 8080\n"));
        s.accept("stderr", bytes("2026-11-27T10:00:01Z GET /health\n"));

        assertEquals(List.of(new LogLine(T1, "stdout", "web: listening on 8080"),
                new LogLine(T2, "stderr", "GET /health")), s.finish());
    }

    @Test
    void severalLinesInOneFrameAndOneLineAcrossFrames() {
        LogLineSplitter s = new LogLineSplitter();
        s.accept("stdout", bytes("2026-11-27T10:00:00.000000001Z a\n2026-11-27T10:00:01Z b"));
        s.accept("stdout", bytes("c\r\n2026-11-27T10:00:01Z \n"));

        assertEquals(List.of(new LogLine(T1, "stdout", "a"), new LogLine(T2, "stdout", "bc"),
                new LogLine(T2, "stdout", "")), s.finish());
    }

    @Test
    void keepsAMultiByteCharacterSplitAcrossFrames() {
        byte[] line = bytes("2026-11-27T10:00:01Z caf\u00e9\n");
        int cut = line.length - 2; // inside the two bytes of 'é'
        LogLineSplitter s = new LogLineSplitter();
        s.accept("stdout", Arrays.copyOfRange(line, 0, cut));
        s.accept("stdout", Arrays.copyOfRange(line, cut, line.length));

        assertEquals(List.of(new LogLine(T2, "stdout", "caf\u00e9")), s.finish());
    }

    @Test
    void flushesAnUnterminatedLastLineAndKeepsLinesWithoutTimestamp() {
        LogLineSplitter s = new LogLineSplitter();
        s.accept("stderr", bytes("no timestamp here\n2026-11-27T10:00:01Z tail"));

        assertEquals(List.of(new LogLine(null, "stderr", "no timestamp here"), new LogLine(T2, "stderr", "tail")),
                s.finish());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
