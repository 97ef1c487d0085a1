package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The assigner's pass loop: requests coalesce, waiting callers see a pass that saw them. */
class PassesTest {
    @Test
    void requestsDuringAPassCauseExactlyOneMore() throws Exception {
        var runs = new AtomicInteger();
        var inside = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        try (var passes = new Passes(() -> {
            if (runs.incrementAndGet() == 1) {
                inside.countDown();
                await(release);
            }
        }, Duration.ofMinutes(1))) {
            passes.start();
            passes.request();
            assertTrue(inside.await(5, TimeUnit.SECONDS), "the first pass started");
            for (int i = 0; i < 50; i++) {
                passes.request();
            }
            release.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (runs.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            Thread.sleep(200); // time for a third pass, if the requests had not coalesced
            assertEquals(2, runs.get(), "50 requests during a pass: exactly one more pass");
        }
    }

    @Test
    void aWaitingCallerReturnsOnlyAfterAPassThatStartedAfterItsRequest() throws Exception {
        var log = new ArrayList<String>();
        var release = new CountDownLatch(1);
        var first = new CountDownLatch(1);
        try (var passes = new Passes(() -> {
            synchronized (log) {
                log.add("pass");
            }
            first.countDown();
            await(release);
        }, Duration.ofMinutes(1))) {
            passes.start();
            passes.request();
            assertTrue(first.await(5, TimeUnit.SECONDS));
            var waiter = Thread.ofPlatform().start(() -> {
                passes.requestAndWait(Duration.ofSeconds(5));
                synchronized (log) {
                    log.add("returned");
                }
            });
            Thread.sleep(100);
            release.countDown(); // the first pass ends; it started before the request
            waiter.join(5000);
            assertEquals(List.of("pass", "pass", "returned"), log);
        }
    }

    @Test
    void theSafetyNetRunsAPassWithoutARequest() throws Exception {
        var runs = new CountDownLatch(2);
        try (var passes = new Passes(runs::countDown, Duration.ofMillis(50))) {
            passes.start();
            assertTrue(runs.await(5, TimeUnit.SECONDS), "two passes without any request");
        }
    }

    @Test
    void aFailingPassDoesNotStopTheLoop() throws Exception {
        var runs = new AtomicInteger();
        try (var passes = new Passes(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom");
        }, Duration.ofMinutes(1))) {
            passes.start();
            passes.requestAndWait(Duration.ofSeconds(5));
            passes.requestAndWait(Duration.ofSeconds(5));
            assertEquals(2, runs.get());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
