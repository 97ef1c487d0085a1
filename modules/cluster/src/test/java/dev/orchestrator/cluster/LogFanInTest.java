package dev.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogFanInTest {
    private final NodeLinks links = new NodeLinks();
    private final LogFanIn fanIn = new LogFanIn(links, Duration.ofMillis(300));
    private static final LogQuery ALL = new LogQuery("web", null, null, null, 0);

    private static LogEntry at(int second, String replica, String node, String line) {
        return new LogEntry(String.format("2026-01-01T00:00:%02dZ", second), replica, node, "stdout", line);
    }

    /** A node with kept lines; its follow delivers them, then caught-up, then whatever the test pushes. */
    private static final class Node implements NodeLink {
        final List<LogEntry> kept;
        final CountDownLatch release;
        final List<LogListener> listeners = new CopyOnWriteArrayList<>();
        volatile boolean fail;

        Node(List<LogEntry> kept, CountDownLatch release) {
            this.kept = kept;
            this.release = release;
        }

        @Override
        public boolean imagePresent(String image) {
            return true;
        }

        @Override
        public List<LogEntry> serviceLogs(LogQuery query) {
            if (fail) {
                throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "connection refused");
            }
            await();
            return kept;
        }

        @Override
        public AutoCloseable followLogs(LogQuery query, LogListener listener) {
            listeners.add(listener);
            Thread.ofVirtual().start(() -> {
                await();
                kept.forEach(listener::line);
                listener.caughtUp();
            });
            return () -> listeners.remove(listener);
        }

        private void await() {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aReadMergesTheNodesByTimeAndTailsEachReplicaAcrossNodes() {
        var go = new CountDownLatch(0);
        links.register("n1", new Node(List.of(at(1, "web-0", "n1", "a"), at(4, "web-0", "n1", "d")), go));
        // web-0 moved from n1 to n2: its tail spans both nodes.
        links.register("n2", new Node(List.of(at(2, "web-1", "n2", "b"), at(5, "web-0", "n2", "e")), go));

        LogFanIn.Read all = fanIn.read(ALL, Set.of());
        assertEquals(List.of("a", "b", "d", "e"), all.lines().stream().map(LogEntry::line).toList());
        assertTrue(all.notices().isEmpty());

        LogFanIn.Read tail = fanIn.read(new LogQuery("web", null, null, null, 1), Set.of());
        assertEquals(List.of("b", "e"), tail.lines().stream().map(LogEntry::line).toList());
    }

    @Test
    void aSlowAFailingAndADownNodeAreNamedAndDelayTheReadOnlyUpToTheWait() {
        links.register("fast", new Node(List.of(at(1, "web-0", "fast", "a")), new CountDownLatch(0)));
        links.register("slow", new Node(List.of(at(2, "web-1", "slow", "b")), new CountDownLatch(1)));
        var broken = new Node(List.of(), new CountDownLatch(0));
        broken.fail = true;
        links.register("broken", broken);
        links.register("gone", new Node(List.of(), new CountDownLatch(1)));

        long start = System.nanoTime();
        LogFanIn.Read r = fanIn.read(ALL, Set.of("gone"));
        long millis = (System.nanoTime() - start) / 1_000_000;

        assertEquals(List.of("a"), r.lines().stream().map(LogEntry::line).toList());
        assertEquals(List.of("broken", "gone", "slow"), r.notices().stream().map(LogFanIn.Notice::node).sorted().toList());
        assertTrue(r.notices().stream().anyMatch(n -> n.message().contains("connection refused")), r.notices().toString());
        assertTrue(millis < 3_000, "waited " + millis + " ms");
    }

    @Test
    void aFollowMergesWhatTheNodesKeptThenPassesLiveLinesAndNewNodesOn() throws Exception {
        var go = new CountDownLatch(1);
        var n1 = new Node(List.of(at(3, "web-0", "n1", "c")), go);
        var n2 = new Node(List.of(at(1, "web-1", "n2", "a")), new CountDownLatch(0));
        links.register("n1", n1);
        links.register("n2", n2);
        List<String> got = new CopyOnWriteArrayList<>();
        LogFanIn.Sink sink = recorder(got);
        AutoCloseable f = fanIn.follow(ALL, Set.of(), sink);
        try {
            Thread.sleep(100);
            assertEquals(List.of(), got, "n2's kept line waits for n1's");
            go.countDown();
            waitFor(() -> got.size() == 2);
            assertEquals(List.of("a", "c"), got, "merged by time, although n1 answered last");

            n2.listeners.getFirst().line(at(9, "web-1", "n2", "live"));
            var n3 = new Node(List.of(at(0, "web-2", "n3", "joined")), new CountDownLatch(0));
            links.register("n3", n3);
            waitFor(() -> got.size() == 4);
            assertEquals(List.of("a", "c", "live", "joined"), got);
        } finally {
            f.close();
        }
        assertTrue(n1.listeners.isEmpty() && n2.listeners.isEmpty(), "closing ends every node's stream");
    }

    @Test
    void aFollowDoesNotWaitForANodeThatNeverCatchesUp() throws Exception {
        links.register("n1", new Node(List.of(at(1, "web-0", "n1", "a")), new CountDownLatch(0)));
        links.register("stuck", new Node(List.of(), new CountDownLatch(1)));
        List<String> got = new CopyOnWriteArrayList<>();
        LogFanIn.Sink sink = recorder(got);
        AutoCloseable f = fanIn.follow(ALL, Set.of(), sink);
        try {
            waitFor(() -> got.size() == 2);
            assertEquals(List.of("!stuck", "a"), got);
        } finally {
            f.close();
        }
    }

    /** @return a sink that records lines as their text and notices as {@code !node} */
    private static LogFanIn.Sink recorder(List<String> got) {
        return new LogFanIn.Sink() {
            @Override
            public void line(LogEntry entry) {
                got.add(entry.line());
            }

            @Override
            public void notice(LogFanIn.Notice notice) {
                got.add("!" + notice.node());
            }
        };
    }

    @Test
    void mergeIsStableForLinesOfOneInstant() {
        var lines = new ArrayList<LogEntry>();
        for (int i = 0; i < 5; i++) {
            lines.add(at(1, "web-0", "n1", "l" + i));
        }
        assertEquals(List.of("l3", "l4"), LogFanIn.merge(lines, 2).stream().map(LogEntry::line).toList());
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }
}
