package dev.orchestrator.node;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.cluster.ControlPlaneLink;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.orchestration.RemoteBackends;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Holds the node's watch on the control plane: a blocking query that returns as soon as the
 * node's view of the desired state changes, handed to a consumer (the mirror), then asked again
 * with the new index. Also the node's source of the other nodes' backends, from the last view.
 *
 * <p>Thread-safe: the watch runs on its own thread; {@link #fetchNow} may be called from any
 * other (views are handled one at a time); {@link #of} is read by the reconciler's.
 */
final class Watcher implements RemoteBackends, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Watcher.class.getName());
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String node;
    private final ControlPlaneLink link;
    private final Consumer<Protocol.Desired> onView;
    private final Runnable onUnknown;
    private volatile List<Protocol.Backend> remote = List.of();
    private volatile long index;
    private volatile Thread thread;
    private volatile boolean closed;
    private volatile String lastProblem;

    /**
     * @param node      this node's name
     * @param link      the control plane
     * @param onView    called with each new view, on the watch thread
     * @param onUnknown called when the control plane does not know this node yet (report first)
     */
    Watcher(String node, ControlPlaneLink link, Consumer<Protocol.Desired> onView, Runnable onUnknown) {
        this.node = node;
        this.link = link;
        this.onView = onView;
        this.onUnknown = onUnknown;
    }

    /**
     * One watch that returns at once (index 0), handled on the caller's thread.
     *
     * @return true if a view arrived
     */
    boolean fetchNow() {
        try {
            handle(link.watch(node, 0, Duration.ZERO));
            return true;
        } catch (OrchestratorException e) {
            problem(e);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts holding watches on its own thread. */
    void start() {
        thread = Thread.ofPlatform().daemon().name("node-watch").start(this::loop);
    }

    private void loop() {
        while (!closed) {
            try {
                handle(link.watch(node, index, Protocol.WATCH_WAIT));
            } catch (OrchestratorException e) {
                problem(e);
                if (e.code() == ErrorCode.NOT_FOUND) {
                    onUnknown.run();
                }
                if (!pause()) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "handling a view failed", e);
                if (!pause()) {
                    return;
                }
            }
        }
    }

    /** Synchronized: the watch thread and {@link #fetchNow} callers (the fence) apply views one at a time. */
    private synchronized void handle(Protocol.Desired view) {
        if (view.index() == index) {
            return; // the wait ended without a change
        }
        remote = view.backends();
        onView.accept(view);
        index = view.index();
        if (lastProblem != null) {
            LOG.log(Level.INFO, "watching the control plane again");
            lastProblem = null;
        }
    }

    private boolean pause() {
        try {
            Thread.sleep(RETRY);
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void problem(OrchestratorException e) {
        String what = "watch failed: " + e.getMessage();
        if (!what.equals(lastProblem)) {
            LOG.log(Level.WARNING, what + " (retrying every " + RETRY.toMillis() + " ms)");
            lastProblem = what;
        }
    }

    /** The backends of other nodes, as the last view listed them. */
    @Override
    public List<Endpoint> of(String service, int containerPort, String protocol) {
        return remote.stream().filter(b -> b.network() == null && b.service().equals(service)
                        && b.containerPort() == containerPort
                        && b.protocol().equals(protocol))
                .map(b -> new Endpoint(b.replica(), b.host(), b.port())).toList();
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }
}
