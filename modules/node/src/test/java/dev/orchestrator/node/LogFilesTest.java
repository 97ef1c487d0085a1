package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real files in a temporary directory. */
class LogFilesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    @TempDir
    Path dir;

    private static LogEntry line(int second, String replica, String text) {
        return new LogEntry(T0.plusSeconds(second).toString(), replica, "n1", "stdout", text);
    }

    private static List<String> texts(List<LogEntry> lines) {
        return lines.stream().map(LogEntry::line).toList();
    }

    @Test
    void readsFilterByReplicaAndTimeAndTailEachReplica() {
        try (var files = new LogFiles(dir, LogRetention.DEFAULT, Clock.systemUTC())) {
            files.append("web", line(1, "web-0", "a"));
            files.append("web", line(2, "web-1", "b"));
            files.append("web", line(3, "web-0", "c"));
            files.append("web", line(4, "web-0", "d"));
            files.append("api", line(5, "api-0", "other service"));

            assertEquals(List.of("a", "b", "c", "d"), texts(files.read(new LogQuery("web", null, null, null, 0))));
            assertEquals(List.of("b", "c", "d"), texts(files.read(new LogQuery("web", null, null, null, 2))));
            assertEquals(List.of("a", "c", "d"), texts(files.read(new LogQuery("web", "web-0", null, null, 0))));
            assertEquals(List.of("b", "c"), texts(files.read(new LogQuery("web", null, T0.plusSeconds(2),
                    T0.plusSeconds(4), 0))));
            assertEquals(T0.plusSeconds(4), files.last("web", "web-0"));
        }
    }

    @Test
    void aRestartedNodeReadsWhatItKeptAndFindsWhereEachReplicaStopped() {
        try (var files = new LogFiles(dir, LogRetention.DEFAULT, Clock.systemUTC())) {
            files.append("web", line(1, "web-0", "before"));
        }
        try (var files = new LogFiles(dir, LogRetention.DEFAULT, Clock.systemUTC())) {
            assertEquals(T0.plusSeconds(1), files.last("web", "web-0"));
            files.append("web", line(2, "web-0", "after"));
            assertEquals(List.of("before", "after"), texts(files.read(new LogQuery("web", null, null, null, 0))));
        }
    }

    @Test
    void aServiceThatWritesForeverStaysWithinItsSizeBound() throws Exception {
        var retention = new LogRetention(64 << 10, Duration.ofDays(7));
        String text = "x".repeat(200);
        try (var files = new LogFiles(dir, retention, Clock.systemUTC())) {
            for (int i = 0; i < 5_000; i++) { // ~1.3 MB in all, 20 times the bound
                files.append("web", new LogEntry(T0.plusMillis(i).toString(), "web-0", "n1", "stdout", text + i));
            }
            long size = files.size("web");
            assertTrue(size <= retention.maxBytes() + retention.segmentBytes(), size + " bytes kept");
            List<LogEntry> kept = files.read(new LogQuery("web", null, null, null, 0));
            assertTrue(kept.getLast().line().endsWith("4999"), "the newest lines are kept");
            assertFalse(kept.stream().anyMatch(e -> e.line().endsWith("x0")), "the oldest are gone");
        }
    }

    @Test
    void filesOlderThanTheAgeBoundGoIncludingTheCurrentOne() throws Exception {
        var retention = new LogRetention(64 << 10, Duration.ofHours(1));
        var clock = Clock.fixed(T0.plus(Duration.ofHours(3)), ZoneOffset.UTC);
        try (var files = new LogFiles(dir, retention, clock)) {
            files.append("web", line(1, "web-0", "old"));
            try (Stream<Path> all = Files.walk(dir.resolve("web"))) {
                for (Path p : all.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(p, FileTime.from(T0)); // written 3 h before the clock
                }
            }
            files.pruneAll();
            assertEquals(List.of(), files.read(new LogQuery("web", null, null, null, 0)));
            files.append("web", line(2, "web-0", "new"));
            assertEquals(List.of("new"), texts(files.read(new LogQuery("web", null, null, null, 0))));
        }
    }

    @Test
    void aNameThatIsNotAServiceReadsNothingOutsideTheDirectory() throws Exception {
        Files.writeString(dir.resolve("secret.jsonl"), "{}\n");
        try (var files = new LogFiles(dir.resolve("logs"), LogRetention.DEFAULT, Clock.systemUTC())) {
            assertEquals(List.of(), files.read(new LogQuery("..", null, null, null, 0)));
            assertEquals(List.of(), files.read(new LogQuery("", null, null, null, 0)));
        }
    }
}
