package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Whether the node's container engine answers: a ping every {@link #INTERVAL} on a thread of
 * its own. Two failed pings in a row make it unreachable ({@code onLost} with the reason), the
 * first answer after that reachable again ({@code onBack} with how long it was gone). Without
 * this, a node whose engine died kept reporting the last rows it had observed ("5/5 running,
 * healthy") until the engine came back: nothing else asks the engine while nothing changes.
 *
 * <p>Thread-safe; the callbacks run on the watch's thread, one at a time, and must not block long.
 */
final class EngineWatch implements AutoCloseable {
    static final Duration INTERVAL = Duration.ofSeconds(1);
    /** Failed pings in a row before the engine counts as unreachable: one may be a hiccup. */
    static final int FAILURES = 2;

    private final ContainerRuntime runtime;
    private final Clock clock;
    private final Consumer<String> onLost;
    private final BiConsumer<String, Duration> onBack;
    private volatile String problem; // null while reachable
    private Instant lostAt; // watch thread only
    private int failures; // watch thread only
    private volatile boolean closed;
    private Thread thread;

    /**
     * @param runtime the engine
     * @param clock   the clock outages are timed with
     * @param onLost  called with the reason when the engine becomes unreachable
     * @param onBack  called with the last reason and the outage's length when it answers again
     */
    EngineWatch(ContainerRuntime runtime, Clock clock, Consumer<String> onLost, BiConsumer<String, Duration> onBack) {
        this.runtime = runtime;
        this.clock = clock;
        this.onLost = onLost;
        this.onBack = onBack;
    }

    /** Starts watching. */
    void start() {
        thread = Thread.ofVirtual().name("engine-watch").start(this::run);
    }

    /** @return why the engine is unreachable, or null while it answers */
    String problem() {
        return problem;
    }

    /** One ping and what follows from it; the thread's step, callable from a test. */
    void check() {
        try {
            runtime.ping();
            failures = 0;
            String was = problem;
            if (was != null) {
                problem = null;
                onBack.accept(was, Duration.between(lostAt, clock.instant()));
            }
        } catch (OrchestratorException e) {
            failures++;
            if (problem == null && failures >= FAILURES) {
                problem = e.getMessage();
                lostAt = clock.instant();
                onLost.accept(problem);
            }
        }
    }

    private void run() {
        while (!closed) {
            check();
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops watching. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
