package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cluster.Protocol;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventQueueTest {
    private final dev.orchestrator.testkit.ManualClock clock = TestClock.create();

    private static List<Long> ids(List<Protocol.Event> events) {
        return events.stream().map(Protocol.Event::id).toList();
    }

    @Test
    void pendingEventsAreTheUnacknowledgedOnesOldestFirst() {
        var q = new EventQueue(clock);
        assertEquals(List.of(), q.pending());
        long first = clock.millis() * 1000;

        q.emit("restart", "web", "web-0", "one");
        clock.advance(Duration.ofMillis(5));
        q.emit("node", null, null, "two");
        q.emit("health", "web", "web-1", "three");

        assertEquals(List.of(new Protocol.Event(first, TestClock.T0.toEpochMilli(), "restart", "web", "web-0", "one"),
                new Protocol.Event(first + 1, TestClock.T0.toEpochMilli() + 5, "node", null, null, "two"),
                new Protocol.Event(first + 2, TestClock.T0.toEpochMilli() + 5, "health", "web", "web-1", "three")),
                q.pending());
        assertEquals(q.pending(), q.pending(), "reading does not consume");
    }

    @Test
    void ackDropsEventsUpToTheAcknowledgedId() {
        var q = new EventQueue(clock);
        for (int i = 0; i < 5; i++) {
            q.emit("t", null, null, "e" + i);
        }
        List<Long> all = ids(q.pending());
        long first = all.getFirst();
        // acknowledged id, then the ids still pending
        record Step(long ack, List<Long> left) {
        }
        List<Step> steps = List.of(
                new Step(0, all),
                new Step(first - 1, all),
                new Step(first, all.subList(1, 5)),
                new Step(first, all.subList(1, 5)),
                new Step(first + 2, all.subList(3, 5)),
                new Step(first + 1, all.subList(3, 5)),
                new Step(Long.MAX_VALUE, List.of()));
        for (Step s : steps) {
            q.ack(s.ack());
            assertEquals(s.left(), ids(q.pending()), "after ack " + s.ack());
        }
    }

    @Test
    void eventsEmittedAfterAHeartbeatSurviveItsAck() {
        var q = new EventQueue(clock);
        q.emit("t", null, null, "sent");
        List<Protocol.Event> sent = q.pending();
        q.emit("t", null, null, "while the heartbeat was on its way");

        q.ack(sent.getLast().id());

        assertEquals(List.of("while the heartbeat was on its way"),
                q.pending().stream().map(Protocol.Event::message).toList());
    }

    @Test
    void theQueueIsBoundedAndDropsTheOldest() {
        var q = new EventQueue(clock);
        long first = clock.millis() * 1000;

        for (int i = 0; i < EventQueue.LIMIT + 5; i++) {
            q.emit("t", null, null, "e" + i);
        }

        List<Protocol.Event> pending = q.pending();
        assertEquals(EventQueue.LIMIT, pending.size());
        assertEquals(first + 5, pending.getFirst().id());
        assertEquals("e5", pending.getFirst().message());
        assertEquals(first + EventQueue.LIMIT + 4, pending.getLast().id());
        assertEquals(LongStream.range(first + 5, first + EventQueue.LIMIT + 5).boxed().toList(), ids(pending));
    }

    static Stream<Arguments> restarts() {
        return Stream.of(
                // events of the first run, time until the second starts
                Arguments.of(1, Duration.ofMillis(1)),
                Arguments.of(999, Duration.ofMillis(1)),
                Arguments.of(EventQueue.LIMIT + 10, Duration.ofSeconds(1)),
                Arguments.of(50, Duration.ofHours(30)));
    }

    @ParameterizedTest(name = "{0} events, restarted after {1}")
    @MethodSource("restarts")
    void idsGrowAcrossInstancesCreatedOneAfterAnother(int emitted, Duration pause) {
        var first = new EventQueue(clock);
        for (int i = 0; i < emitted; i++) {
            first.emit("t", null, null, "before");
        }
        long lastBefore = first.pending().getLast().id();

        clock.advance(pause);
        var second = new EventQueue(clock);
        second.emit("t", null, null, "after");
        second.emit("t", null, null, "after");

        List<Long> after = ids(second.pending());
        assertTrue(after.getFirst() > lastBefore, after.getFirst() + " > " + lastBefore);
        assertTrue(after.get(1) > after.getFirst());
    }
}
