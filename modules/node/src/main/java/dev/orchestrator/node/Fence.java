package dev.orchestrator.node;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Fencing on the node, for services with a {@code stop_after_disconnect} (Nomad's
 * {@code stop_after_client_disconnect}): once the server has accepted none of this node's
 * reports for that long, the service's replicas here are fenced (the reconciler stops and
 * removes them, see {@code Reconciler#fence}), since the server starts them elsewhere once it
 * has waited that long too. When a report is accepted again and a fresh view of the desired
 * state has arrived, the fence lifts and the assignments decide again: a replica still assigned
 * here starts again, one moved away stays gone.
 *
 * <p>Silence is counted on the monotonic clock from the moment the node <em>sent</em> its last
 * accepted report: that is before the server received it, so the node's count never starts
 * later than the server's (which starts at its receipt). Only reports count, not watches: the
 * server's failure detector hears reports only, and the two sides must count the same thing.
 *
 * <p>Thread-safe: {@link #heard} is called from the reporter's thread, {@link #reason} from the
 * reconciler's, {@link #check} from the fence's own thread (or a test), one at a time.
 */
final class Fence implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Fence.class.getName());
    /** How often the silence is compared with the bounds: part of the server's margin. */
    static final Duration INTERVAL = Duration.ofMillis(250);

    private final String node;
    private final Store store;
    private final LongSupplier nanos;
    private final EventSink events;
    private final Consumer<String> trigger;
    private final BooleanSupplier refreshView;
    private final AtomicLong heardAt;
    private final Map<String, Fenced> fenced = new ConcurrentHashMap<>();
    private volatile boolean closed;
    private Thread thread;

    /**
     * One fenced service.
     *
     * @param reason   said in events and rows, e.g. {@code lost the server for 10s (stop_after_disconnect)}
     * @param lostAt   the last accepted report's send time when the fence began
     * @param replicas the replicas it stopped here, e.g. {@code web-0}
     */
    record Fenced(String reason, long lostAt, List<String> replicas) {
    }

    /**
     * @param node        this node's name
     * @param store       the node's store: the mirror's services and assignments
     * @param nanos       the monotonic clock ({@code System::nanoTime}; a test's by hand)
     * @param events      where the fence's events go (to the server with the next accepted report)
     * @param trigger     asks the reconciler for a pass of a service; must not block
     * @param refreshView fetches the node's current view at once (true if one arrived), before a
     *                    fence lifts: the mirror may still assign here what the server has moved
     */
    Fence(String node, Store store, LongSupplier nanos, EventSink events, Consumer<String> trigger,
          BooleanSupplier refreshView) {
        this.node = node;
        this.store = store;
        this.nanos = nanos;
        this.events = events;
        this.trigger = trigger;
        this.refreshView = refreshView;
        this.heardAt = new AtomicLong(nanos.getAsLong()); // a node that starts cut off counts from its start
    }

    /** Starts checking every {@link #INTERVAL}. */
    void start() {
        thread = Thread.ofPlatform().daemon().name("node-fence").start(this::run);
    }

    /**
     * A report was accepted.
     *
     * @param sentAt its send time on the monotonic clock
     */
    void heard(long sentAt) {
        heardAt.accumulateAndGet(sentAt, (a, b) -> b - a > 0 ? b : a);
    }

    /**
     * @param service a service
     * @return why its replicas here are fenced, or empty
     */
    Optional<String> reason(String service) {
        return Optional.ofNullable(fenced.get(service)).map(Fenced::reason);
    }

    /** @return the services fenced now (for tests) */
    Map<String, Fenced> fenced() {
        return Map.copyOf(fenced);
    }

    /** One comparison of the silence with every service's bound: the thread's step, callable from a test. */
    void check() {
        long heard = heardAt.get();
        Duration silent = Duration.ofNanos(nanos.getAsLong() - heard);
        lift(heard);
        for (ServiceRecord s : store.services().all()) {
            Duration bound = s.spec().stopAfterDisconnect();
            if (bound != null && silent.compareTo(bound) >= 0 && !fenced.containsKey(s.name())) {
                fence(s.spec(), bound, heard);
            }
        }
    }

    private void fence(ServiceSpec spec, Duration bound, long heard) {
        String reason = "lost the server for " + Validation.format(bound) + " (stop_after_disconnect)";
        List<String> replicas = store.assignments().onNode(node).stream()
                .filter(a -> a.service().equals(spec.name()) && a.involves(node))
                .map(Assignment::index).sorted().map(i -> spec.name() + "-" + i).toList();
        fenced.put(spec.name(), new Fenced(reason, heard, replicas));
        for (String r : replicas) {
            String message = "Stopping " + r + " on " + node + ": " + reason;
            LOG.log(Level.WARNING, message);
            events.emit("node", spec.name(), r, message, node);
        }
        trigger.accept(spec.name());
    }

    /** Lifts the fences that began before the last accepted report, once a fresh view is in. */
    private void lift(long heard) {
        var back = fenced.entrySet().stream().filter(e -> heard - e.getValue().lostAt() > 0).toList();
        if (back.isEmpty() || !refreshView.getAsBoolean()) {
            return;
        }
        for (var e : back) {
            fenced.remove(e.getKey());
            long outage = Duration.ofNanos(nanos.getAsLong() - e.getValue().lostAt()).toSeconds();
            for (String r : e.getValue().replicas()) {
                String message = node + " reaches the server again after " + outage + "s: " + r
                        + " follows its assignment again (stop_after_disconnect)";
                LOG.log(Level.INFO, message);
                events.emit("node", e.getKey(), r, message, node);
            }
            trigger.accept(e.getKey());
        }
    }

    private void run() {
        while (!closed) {
            try {
                check();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "fence check failed: " + e.getMessage());
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops checking; fences in place stay (the node is closing). Idempotent. */
    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
