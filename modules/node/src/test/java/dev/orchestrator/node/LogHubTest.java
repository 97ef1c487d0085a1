package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogListener;
import dev.orchestrator.cluster.LogQuery;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LogHubTest {
    private final LogHub hub = new LogHub();
    private static final LogQuery WEB = new LogQuery("web", null, null, null, 0);

    private static LogEntry line(int n) {
        return new LogEntry("2026-01-01T00:00:" + String.format("%02d", n) + "Z", "web-0", "n1", "stdout", "l" + n);
    }

    private static final class Recorder implements LogListener {
        final List<String> got = new CopyOnWriteArrayList<>();
        final CountDownLatch block;

        Recorder(CountDownLatch block) {
            this.block = block;
        }

        @Override
        public void line(LogEntry entry) {
            try {
                block.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            got.add(entry.line());
        }

        @Override
        public void caughtUp() {
            got.add("caught-up");
        }

        @Override
        public void notice(String message) {
            got.add("notice: " + message);
        }
    }

    @Test
    void aLineCapturedWhileTheBacklogIsReadIsDeliveredOnce() throws Exception {
        var r = new Recorder(new CountDownLatch(0));
        // The backlog read sees l2, which was also published after the follower subscribed.
        AutoCloseable f = hub.follow(WEB, () -> {
            hub.publish("web", line(2));
            return List.of(line(1), line(2));
        }, r);
        hub.publish("web", line(3));
        hub.publish("api", line(4));
        waitFor(() -> r.got.size() >= 4);
        f.close();
        assertEquals(List.of("l1", "l2", "caught-up", "l3"), r.got);
        assertEquals(0, hub.size());
    }

    @Test
    void aSlowFollowerLosesLinesAndIsToldWithoutHoldingUpThePublisher() throws Exception {
        var slow = new CountDownLatch(1);
        var r = new Recorder(slow);
        AutoCloseable f = hub.follow(WEB, List::of, r);
        waitFor(() -> r.got.contains("caught-up"));
        long start = System.nanoTime();
        for (int i = 0; i < LogHub.QUEUE + 500; i++) {
            hub.publish("web", line(i % 60));
        }
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "publishing never waits");
        slow.countDown();
        waitFor(() -> r.got.stream().anyMatch(s -> s.startsWith("notice")));
        f.close();
        assertTrue(r.got.stream().anyMatch(s -> s.matches("notice: (49[89]|50[01]) lines dropped.*")), r.got.stream()
                .filter(s -> s.startsWith("notice")).toList().toString());
    }

    @Test
    void aFollowerWhoseClientWentAwayIsDropped() throws Exception {
        var failing = new LogListener() {
            @Override
            public void line(LogEntry entry) {
                throw new IllegalStateException("client gone");
            }

            @Override
            public void caughtUp() {
            }

            @Override
            public void notice(String message) {
            }
        };
        hub.follow(WEB, List::of, failing);
        assertEquals(1, hub.size());
        hub.publish("web", line(1));
        waitFor(() -> hub.size() == 0);
        assertEquals(0, hub.size());
    }

    private static void waitFor(java.util.function.BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!done.getAsBoolean() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }
}
