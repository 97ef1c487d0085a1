package dev.orchestrator.cluster;

import dev.orchestrator.api.OrchestratorException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A service's logs from every node: a read asks all nodes at once and merges their lines by
 * time; a follow subscribes to every node's stream (and to each node that joins meanwhile),
 * merges the lines the nodes had kept, then passes live lines on as they come. A node that is
 * down, slow or unreachable delays nothing beyond {@link #WAIT} and is named in a notice.
 *
 * <p>Thread-safe.
 */
public final class LogFanIn {
    /** How long a read or a follow's catch-up waits for a node before going on without it. */
    public static final Duration WAIT = Duration.ofSeconds(3);
    private final NodeLinks links;
    private final Duration wait;

    /**
     * Something a reader is told about one node.
     *
     * @param node    the node
     * @param message what happened
     */
    public record Notice(String node, String message) {
    }

    /**
     * What a read found.
     *
     * @param lines   the lines, oldest first
     * @param notices the nodes whose lines are missing, and why
     */
    public record Read(List<LogEntry> lines, List<Notice> notices) {
    }

    /** Where a follow's lines go. Called from the nodes' stream threads; must not block. */
    public interface Sink {
        /** @param entry the next line */
        void line(LogEntry entry);

        /** @param notice something about one node's stream */
        void notice(Notice notice);
    }

    /** @param links the nodes' links */
    public LogFanIn(NodeLinks links) {
        this(links, WAIT);
    }

    /**
     * @param links the nodes' links
     * @param wait  how long to wait for a node (tests)
     */
    public LogFanIn(NodeLinks links, Duration wait) {
        this.links = links;
        this.wait = wait;
    }

    /**
     * Reads on every node with a link at once. Blocks at most {@link #WAIT} (plus the merge).
     *
     * @param query which lines ({@code tail} per replica, across nodes)
     * @param down  nodes known to be down: named, not asked
     * @return the merged lines and the nodes that did not answer
     */
    public Read read(LogQuery query, Set<String> down) {
        List<Notice> notices = new ArrayList<>();
        Map<String, Future<List<LogEntry>>> asked = new LinkedHashMap<>();
        ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
        try {
            new java.util.TreeMap<>(links.all()).forEach((node, link) -> {
                if (down.contains(node)) {
                    notices.add(new Notice(node, "node is down: its lines are missing"));
                } else {
                    asked.put(node, exec.submit(() -> link.serviceLogs(query)));
                }
            });
            long deadline = System.nanoTime() + wait.toNanos();
            List<LogEntry> all = new ArrayList<>();
            asked.forEach((node, f) -> collect(node, f, deadline, all, notices));
            return new Read(merge(all, query.tail()), notices);
        } finally {
            exec.shutdownNow(); // a node that did not answer in time is not waited for
        }
    }

    private void collect(String node, Future<List<LogEntry>> f, long deadline, List<LogEntry> into,
                         List<Notice> notices) {
        try {
            into.addAll(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            f.cancel(true);
            notices.add(new Notice(node, "no answer within " + wait.toSeconds() + "s: its lines are missing"));
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof OrchestratorException o ? o.getMessage() : String.valueOf(e.getCause());
            notices.add(new Notice(node, "unreachable (" + why + "): its lines are missing"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            notices.add(new Notice(node, "read interrupted: its lines are missing"));
        }
    }

    /**
     * @param lines lines of several nodes
     * @param tail  per replica, 0 for all
     * @return them by time (stable: one node's lines of one instant keep their order), at most
     *         {@code tail} of each replica's newest
     */
    static List<LogEntry> merge(List<LogEntry> lines, int tail) {
        List<LogEntry> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparing(LogEntry::instant));
        if (tail == 0) {
            return sorted;
        }
        Map<String, Integer> left = new HashMap<>();
        ArrayDeque<LogEntry> kept = new ArrayDeque<>();
        for (int i = sorted.size() - 1; i >= 0; i--) {
            LogEntry e = sorted.get(i);
            int n = left.merge(e.replica(), 1, Integer::sum);
            if (n <= tail) {
                kept.addFirst(e);
            }
        }
        return List.copyOf(kept);
    }

    /**
     * Follows on every node with a link now, and on each node whose link is registered later.
     * Returns at once.
     *
     * @param query which lines: the kept ones it selects are merged and passed on first
     * @param down  nodes known to be down: followed (their link reconnects if they come
     *              back) but not waited for
     * @param sink  where lines and notices go
     * @return ends the follow on every node; idempotent
     */
    public AutoCloseable follow(LogQuery query, Set<String> down, Sink sink) {
        var f = new Following(query, sink);
        f.start(links, down, wait);
        return f;
    }

    /** One follow across nodes. Guarded by itself. */
    private static final class Following implements AutoCloseable {
        private final LogQuery query;
        private final Sink sink;
        private final Map<String, AutoCloseable> streams = new HashMap<>();
        private final Set<String> waiting = new HashSet<>();
        private final List<LogEntry> kept = new ArrayList<>();
        private boolean live;
        private boolean closed;
        private AutoCloseable watch;

        Following(LogQuery query, Sink sink) {
            this.query = query;
            this.sink = sink;
        }

        void start(NodeLinks links, Set<String> down, Duration wait) {
            AutoCloseable w = links.watch(this::subscribe);
            synchronized (this) {
                watch = w;
            }
            Map<String, NodeLink> now = links.all();
            synchronized (this) {
                // All awaited before any subscribes: a fast node must not go live alone.
                now.keySet().stream().filter(n -> !down.contains(n)).forEach(waiting::add);
            }
            now.forEach((node, link) -> {
                if (down.contains(node)) {
                    sink.notice(new Notice(node, "node is down: its lines follow if it comes back"));
                }
                subscribe(node, link);
            });
            synchronized (this) {
                if (waiting.isEmpty()) {
                    goLive();
                }
            }
            Thread.ofVirtual().name("log-catch-up").start(() -> {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                synchronized (this) {
                    if (!live && !closed) {
                        waiting.forEach(n -> sink.notice(new Notice(n, "no answer within " + wait.toSeconds()
                                + "s: its lines follow when it answers")));
                        goLive();
                    }
                }
            });
        }

        private void subscribe(String node, NodeLink link) {
            synchronized (this) {
                if (closed) {
                    return;
                }
            }
            AutoCloseable stream = link.followLogs(query, new NodeListener(node));
            AutoCloseable old;
            synchronized (this) {
                if (closed) {
                    quietly(stream);
                    return;
                }
                old = streams.put(node, stream);
            }
            if (old != null) {
                quietly(old); // the node's agent moved: its new address replaces the old
            }
        }

        /** Under the lock. */
        private void goLive() {
            live = true;
            waiting.clear();
            merge(kept, query.tail()).forEach(sink::line);
            kept.clear();
        }

        private final class NodeListener implements LogListener {
            private final String node;

            NodeListener(String node) {
                this.node = node;
            }

            @Override
            public void line(LogEntry entry) {
                synchronized (Following.this) {
                    if (closed) {
                        return;
                    }
                    if (live) {
                        sink.line(entry);
                    } else {
                        kept.add(entry);
                    }
                }
            }

            @Override
            public void caughtUp() {
                synchronized (Following.this) {
                    if (!live && waiting.remove(node) && waiting.isEmpty()) {
                        goLive();
                    }
                }
            }

            @Override
            public void notice(String message) {
                synchronized (Following.this) {
                    if (!closed) {
                        sink.notice(new Notice(node, message));
                    }
                }
            }
        }

        @Override
        public void close() {
            List<AutoCloseable> all;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                all = new ArrayList<>(streams.values());
                streams.clear();
                if (watch != null) {
                    all.add(watch);
                }
            }
            all.forEach(Following::quietly);
        }

        private static void quietly(AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                // ending anyway
            }
        }
    }
}
