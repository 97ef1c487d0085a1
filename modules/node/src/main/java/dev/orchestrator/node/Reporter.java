package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.RuntimeInfo;
import dev.orchestrator.cluster.ControlPlaneLink;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.orchestration.Backend;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.Store;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Reports the node's observed state to the control plane: every heartbeat interval, and soon
 * (at most every {@value #MIN_SPACING_MILLIS} ms) after something changed, so new rows, events
 * and withdrawn backends reach the server without waiting for the next interval. A report
 * carries only the rows that changed since the last accepted one, except the first, every
 * {@value #FULL_EVERY}th, and any the server asks for (after its restart, or when the node's
 * assignments changed): most reports carry no row at all. A failed
 * report is logged once when the control plane becomes unreachable and once when it is back.
 *
 * <p>Thread-safe: {@link #soon()} is called from any thread; reports are sent from the
 * reporter's own thread, or from the caller of {@link #reportNow()}, one at a time.
 */
final class Reporter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Reporter.class.getName());
    static final long MIN_SPACING_MILLIS = 50;
    /** Every this many reports, one carries every row even if the server asked for none. */
    static final int FULL_EVERY = 30;

    private final NodeOptions options;
    private final RuntimeInfo info;
    private final Store store;
    private final EventQueue events;
    private final ControlPlaneLink link;
    private final String nodeId;
    private final Object wake = new Object();
    private volatile Supplier<List<Backend>> backends = List::of;
    private volatile Supplier<String> engine = () -> null;
    private volatile Supplier<Protocol.Observed> observed = () -> null;
    private volatile java.util.function.LongConsumer onAccepted = sentAt -> { };
    /** System.nanoTime() of the last report that carried measurements; guarded by {@code this}. */
    private long observedAt;
    private boolean observedOnce;
    private volatile String endpointUrl;
    private volatile boolean networking;
    private volatile Protocol.Reply lastReply;
    /** The last key the server sent: only answers to complete reports carry it. */
    private volatile String serverKey;
    private volatile String lastProblem;
    private boolean pending;
    /** The rows (without their times) of the last accepted report; guarded by {@code this}. */
    private Map<String, Protocol.Replica> accepted = Map.of();
    private boolean fullNext = true;
    private int sinceFull;
    private boolean closed;
    private volatile Thread thread;

    /** @param problem why the engine does not answer now, or null: said in every report */
    void engine(Supplier<String> problem) {
        this.engine = problem;
    }

    Reporter(NodeOptions options, RuntimeInfo info, Store store, EventQueue events, ControlPlaneLink link) {
        this.options = options;
        this.info = info;
        this.store = store;
        this.events = events;
        this.link = link;
        this.nodeId = store.randomId("node_id"); // this node's identity, kept with its data
    }

    /**
     * @param source the node's measurements, carried by one report per
     *               {@link UsageCollector#INTERVAL} at most (they change slowly, and
     *               most reports should stay small)
     */
    void observed(Supplier<Protocol.Observed> source) {
        this.observed = source;
    }

    /**
     * @param listener told, on the reporting thread, the {@link System#nanoTime()} at which each
     *                 accepted report was sent (the node's fence counts silence from it)
     */
    void onAccepted(java.util.function.LongConsumer listener) {
        this.onAccepted = listener;
    }

    void backends(Supplier<List<Backend>> source) {
        this.backends = source;
    }

    /** @param on whether this node runs managed networks (asks for their part of its view) */
    void networking(boolean on) {
        networking = on;
    }

    void endpointUrl(String url) {
        this.endpointUrl = url;
    }

    /** Starts the reporting thread. */
    void start() {
        thread = Thread.ofPlatform().daemon().name("node-reporter").start(this::loop);
    }

    /** Asks for a report soon. Never blocks. */
    void soon() {
        synchronized (wake) {
            pending = true;
            wake.notifyAll();
        }
    }

    private void loop() {
        while (true) {
            synchronized (wake) {
                // Monotonic time: a wall-clock step back must not hold heartbeats (the node would
                // be marked down), nor one forward send a burst.
                long until = System.nanoTime() + interval() * 1_000_000L;
                try {
                    while (!pending && !closed && until - System.nanoTime() > 0) {
                        wake.wait(Math.max(1, (until - System.nanoTime()) / 1_000_000L));
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                pending = false;
            }
            reportNow();
            try {
                Thread.sleep(MIN_SPACING_MILLIS); // changes in a burst share one report
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * The wait between reports when nothing changed: the node's heartbeat, or the longer one
     * the server asked for in its last answer (it spaces reports out in a large cluster).
     */
    private long interval() {
        Protocol.Reply last = lastReply;
        long own = options.heartbeat().toMillis();
        return last == null ? own : Math.max(own, last.reportEvery());
    }

    /**
     * Sends one report now and waits for the answer.
     *
     * @return the answer, or empty when the control plane did not accept it
     */
    synchronized Optional<Protocol.Reply> reportNow() {
        try {
            List<ReplicaRecord> rows = ownRows();
            Map<String, Protocol.Replica> now = new HashMap<>();
            rows.forEach(r -> now.put(key(r.service(), r.index()), comparable(wire(r))));
            boolean complete = fullNext || ++sinceFull >= FULL_EVERY;
            List<Protocol.Replica> send = rows.stream().map(Reporter::wire)
                    .filter(r -> complete || !comparable(r).equals(accepted.get(key(r.service(), r.index()))))
                    .toList();
            Protocol.Heartbeat hb = heartbeat(rows, send, !complete, events.pending());
            long sentAt = System.nanoTime(); // before the server can have received it
            Protocol.Reply reply = link.report(hb);
            onAccepted.accept(sentAt);
            events.ack(reply.eventsAcked());
            accepted = now;
            fullNext = reply.fullReport();
            if (complete) {
                sinceFull = 0;
            }
            lastReply = reply;
            if (reply.serverKey() != null) {
                serverKey = reply.serverKey();
            }
            if (lastProblem != null) {
                LOG.log(Level.INFO, "the control plane accepts reports again");
                lastProblem = null;
            }
            return Optional.of(reply);
        } catch (OrchestratorException e) {
            problem("report refused or undelivered: " + e.getMessage());
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "report failed", e);
            return Optional.empty();
        }
    }

    private List<ReplicaRecord> ownRows() {
        return store.replicas().all().stream().filter(r -> options.name().equals(r.node())).toList();
    }

    private static Protocol.Replica wire(ReplicaRecord r) {
        return new Protocol.Replica(r.service(), r.index(), r.containerId(), r.containerName(), r.revision(),
                r.state().wireName(), r.health().wireName(), r.restartCount(), r.lastExitCode(), r.hostPort(),
                r.message(), r.updatedAt().toEpochMilli());
    }

    /** The row without its time: a row rewritten with the same content is not news. */
    private static Protocol.Replica comparable(Protocol.Replica r) {
        return new Protocol.Replica(r.service(), r.index(), r.containerId(), r.containerName(), r.revision(), r.state(),
                r.health(), r.restartCount(), r.lastExitCode(), r.hostPort(), r.message(), 0);
    }

    private static String key(String service, int index) {
        return service + "/" + index;
    }

    private Protocol.Heartbeat heartbeat(List<ReplicaRecord> rows, List<Protocol.Replica> replicas, boolean partial,
                                         List<Protocol.Event> pendingEvents) {
        List<Protocol.Backend> mine = backends.get().stream().map(b -> new Protocol.Backend(b.service(),
                b.containerPort(), b.protocol(), b.endpoint().replica(), b.endpoint().host(), b.endpoint().port(),
                b.network()))
                .toList();
        int cpus = options.cpus() > 0 ? options.cpus() : info.cpus();
        long memory = options.memoryBytes() > 0 ? options.memoryBytes() : info.memoryBytes();
        int containers = (int) rows.stream().filter(r -> r.containerId() != null).count();
        return new Protocol.Heartbeat(options.name(), nodeId, options.advertiseAddress(), endpointUrl,
                options.labels(), cpus, memory, info.version(), replicas, pendingEvents, mine,
                HostUsage.read(containers), partial, networking, engine.get(), observedDue());
    }

    /** The measurements, if a report has not carried them for an interval; else null. */
    private Protocol.Observed observedDue() {
        long now = System.nanoTime();
        if (observedOnce && now - observedAt < UsageCollector.INTERVAL.toNanos()) {
            return null;
        }
        Protocol.Observed o = observed.get();
        if (o != null) {
            observedOnce = true;
            observedAt = now;
        }
        return o;
    }

    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            LOG.log(Level.WARNING, what + " (retrying every " + options.heartbeat().toMillis() + " ms)");
            lastProblem = what;
        }
    }

    /** @return the key the server presents to this node's endpoint, null before the first answer */
    String serverKey() {
        return serverKey;
    }

    /** @return how long a report takes to reach every other node at most, after it is sent */
    static Duration propagationAfterReport() {
        return Protocol.SLACK;
    }

    @Override
    public void close() {
        synchronized (wake) {
            closed = true;
            wake.notifyAll();
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
