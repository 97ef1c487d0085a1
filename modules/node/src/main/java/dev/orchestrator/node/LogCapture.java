package dev.orchestrator.node;

import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.orchestration.Containers;
import dev.orchestrator.orchestration.Labels;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.lang.System.Logger.Level;

/**
 * Captures the output of every container of this node: on each container's start (from the
 * runtime's event stream, and for those already running when the node starts or the stream
 * was interrupted) it follows the container's output through the runtime until the container
 * ends, writing each line to the service's {@link LogFiles} and offering it to the
 * {@link LogHub}'s followers. A restarted node resumes after the newest line it kept of each
 * replica, so nothing is captured twice.
 *
 * <p>Thread-safe. One runtime stream per running container; lines are handled on that stream's
 * thread and never wait for a reader.
 */
final class LogCapture implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(LogCapture.class.getName());
    private final String node;
    private final ContainerRuntime runtime;
    private final LogFiles files;
    private final LogHub hub;
    private final Map<String, AutoCloseable> followed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("log-retention").daemon().factory());
    private volatile AutoCloseable events;
    private volatile boolean closed;

    LogCapture(String node, ContainerRuntime runtime, LogFiles files, LogHub hub) {
        this.node = node;
        this.runtime = runtime;
        this.files = files;
        this.hub = hub;
    }

    /** Starts capturing: the running containers now, every container that starts from now on. */
    void start() {
        try {
            events = runtime.events(this::onEvent);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "log capture cannot follow the runtime's events: " + e.getMessage());
        }
        Thread.ofVirtual().name("log-capture-adopt").start(this::attachRunning);
        timer.scheduleWithFixedDelay(files::pruneAll, 1, 60, TimeUnit.SECONDS);
    }

    private void onEvent(RuntimeEvent e) {
        switch (e.type()) {
            case START -> {
                if (ours(e.labels())) {
                    // Off the runtime's event thread: the follow request is a round trip.
                    Thread.ofVirtual().start(() -> attach(e.containerId(), e.labels(), true));
                }
            }
            case RESYNC -> Thread.ofVirtual().start(this::attachRunning);
            default -> {
                // a container that ends ends its stream by itself
            }
        }
    }

    private void attachRunning() {
        try {
            for (ContainerDetails c : runtime.list(Map.of(Labels.NODE, node))) {
                if (c.state() == ContainerState.RUNNING && ours(c.labels())) {
                    attach(c.id(), c.labels(), false);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "log capture cannot list containers: " + e.getMessage());
        }
    }

    private boolean ours(Map<String, String> labels) {
        return node.equals(labels.get(Labels.NODE)) && labels.get(Labels.SERVICE) != null
                && labels.get(Labels.REPLICA) != null;
    }

    /**
     * Follows a container's output. A container already followed is left alone unless
     * {@code again}: a container that starts again (restarted in place) gets a new stream, the
     * old one having ended or about to.
     */
    private void attach(String id, Map<String, String> labels, boolean again) {
        String service = labels.get(Labels.SERVICE);
        int index;
        try {
            index = Integer.parseInt(labels.get(Labels.REPLICA));
        } catch (NumberFormatException e) {
            return;
        }
        String replica = Containers.replicaName(service, index);
        AutoCloseable placeholder = () -> { };
        AutoCloseable before = again ? followed.put(id, placeholder) : followed.putIfAbsent(id, placeholder);
        if (closed || (!again && before != null)) {
            return;
        }
        if (before != null) {
            closeQuietly(before);
        }
        Instant seen = files.last(service, replica);
        try {
            AutoCloseable[] self = new AutoCloseable[1];
            AutoCloseable stream = runtime.followLogs(id, seen,
                    line -> capture(service, replica, seen, line),
                    failure -> {
                        synchronized (self) {
                            followed.remove(id, self[0]);
                        }
                    });
            synchronized (self) {
                self[0] = stream;
                if (!followed.replace(id, placeholder, stream)) {
                    stream.close(); // replaced meanwhile, or already ended
                }
            }
            if (closed) {
                stream.close();
            }
        } catch (Exception e) {
            followed.remove(id, placeholder);
            LOG.log(Level.DEBUG, "cannot follow the output of " + replica + ": " + e.getMessage());
        }
    }

    private void capture(String service, String replica, Instant seen, LogLine line) {
        Instant at = line.timestamp() == null ? Instant.now() : line.timestamp();
        if (seen != null && !at.isAfter(seen)) {
            return; // kept before this node restarted
        }
        LogEntry e = new LogEntry(at.toString(), replica, node, line.stream(), line.text());
        files.append(service, e);
        hub.publish(service, e);
    }

    /** @return how many containers are being followed (for tests) */
    int following() {
        return followed.size();
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        AutoCloseable ev = events;
        if (ev != null) {
            closeQuietly(ev);
        }
        followed.values().forEach(LogCapture::closeQuietly);
        followed.clear();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // best effort while stopping
        }
    }
}
