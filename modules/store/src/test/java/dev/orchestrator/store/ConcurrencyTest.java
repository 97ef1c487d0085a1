package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.Event;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class ConcurrencyTest {
    private static final int THREADS = 8;
    private static final int EVENTS_PER_THREAD = 500;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentAppendsAllLand() throws Exception {
        try (Store store = Store.open(dir); ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1)) {
            var start = new CountDownLatch(1);
            var writers = new ArrayList<Future<List<Long>>>();
            for (int t = 0; t < THREADS; t++) {
                String service = "s" + t;
                writers.add(pool.submit(() -> {
                    start.await();
                    var ids = new ArrayList<Long>();
                    for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                        ids.add(store.events().append(new Event(T0.plusMillis(i), "test", service, null,
                                "event " + i)));
                    }
                    return ids;
                }));
            }
            // A reader runs alongside: WAL readers neither wait for nor disturb the writers.
            Callable<Integer> reader = () -> {
                start.await();
                int reads = 0;
                while (!writers.stream().allMatch(Future::isDone)) {
                    store.events().query(EventQuery.latest().withLimit(50));
                    reads++;
                }
                return reads;
            };
            Future<Integer> reads = pool.submit(reader);
            start.countDown();

            var ids = new HashSet<Long>();
            for (Future<List<Long>> f : writers) {
                ids.addAll(f.get());
            }
            reads.get();
            assertEquals(THREADS * EVENTS_PER_THREAD, ids.size(), "every append got its own id");
            assertEquals(THREADS * EVENTS_PER_THREAD,
                    store.events().query(EventQuery.latest().withLimit(10_000)).size());
            for (int t = 0; t < THREADS; t++) {
                List<Event> mine = store.events().query(EventQuery.latest().withService("s" + t).withLimit(10_000));
                assertEquals(EVENTS_PER_THREAD, mine.size());
                for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                    assertEquals("event " + i, mine.get(i).message(), "one writer's events stay in its order");
                }
            }
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void concurrentReadModifyWriteTransactionsDoNotLoseUpdates() throws Exception {
        try (Store store = Store.open(dir); ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            store.services().put(Fixtures.minimal("api", 0));
            var tasks = new ArrayList<Callable<Void>>();
            for (int t = 0; t < THREADS; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.runInTransaction(tx -> {
                            int n = tx.services().get("api").orElseThrow().spec().replicas();
                            tx.services().setReplicas("api", n + 1);
                        });
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
            assertEquals(THREADS * 25, store.services().get("api").orElseThrow().spec().replicas());
        }
    }
}
