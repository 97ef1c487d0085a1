package dev.orchestrator.node;

import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogListener;
import dev.orchestrator.cluster.LogQuery;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The node's live log followers: each captured line is offered to the bounded queue of every
 * follower of its service, never waited for; a follower too slow to keep up loses lines and is
 * told how many. Each follower drains its queue on its own virtual thread (one per follower,
 * none per line), so a slow reader holds only itself.
 *
 * <p>Thread-safe.
 */
final class LogHub {
    /** Lines a follower may be behind before lines are dropped. */
    static final int QUEUE = 10_000;
    private final Map<String, Set<Follower>> followers = new ConcurrentHashMap<>();

    /**
     * Offers a line to the followers of its service. Never blocks.
     *
     * @param service the service
     * @param entry   the line
     */
    void publish(String service, LogEntry entry) {
        Set<Follower> set = followers.get(service);
        if (set != null) {
            set.forEach(f -> f.offer(entry));
        }
    }

    /**
     * Subscribes, then reads the backlog: a line captured in between is in both, and is
     * delivered once.
     *
     * @param query    the service and filters
     * @param backlog  reads the kept lines to deliver first (from the files)
     * @param listener where lines go; a listener that throws ends its follower
     * @return ends the follower; idempotent
     */
    AutoCloseable follow(LogQuery query, Supplier<List<LogEntry>> backlog, LogListener listener) {
        Follower f = new Follower(query, backlog, listener);
        followers.computeIfAbsent(query.service(), s -> ConcurrentHashMap.newKeySet()).add(f);
        f.thread = Thread.ofVirtual().name("log-follower-" + query.service()).start(() -> {
            f.drain();
            remove(f);
        });
        return () -> {
            remove(f);
            f.closed = true;
            f.thread.interrupt();
        };
    }

    private void remove(Follower f) {
        Set<Follower> set = followers.get(f.query.service());
        if (set != null) {
            set.remove(f);
        }
    }

    /** @return how many followers there are (for tests) */
    int size() {
        return followers.values().stream().mapToInt(Set::size).sum();
    }

    private static final class Follower {
        private final LogQuery query;
        private final Supplier<List<LogEntry>> backlog;
        private final LogListener listener;
        private final BlockingQueue<LogEntry> queue = new ArrayBlockingQueue<>(QUEUE);
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean closed;
        private volatile Thread thread;

        Follower(LogQuery query, Supplier<List<LogEntry>> backlog, LogListener listener) {
            this.query = query;
            this.backlog = backlog;
            this.listener = listener;
        }

        void offer(LogEntry e) {
            if (query.matches(e) && !queue.offer(e)) {
                dropped.incrementAndGet();
            }
        }

        void drain() {
            try {
                List<LogEntry> first = backlog.get();
                first.forEach(listener::line);
                listener.caughtUp();
                // Lines captured between subscribing and reading the backlog came both ways.
                Set<LogEntry> both = new HashSet<>(first.subList(Math.max(0, first.size() - QUEUE), first.size()));
                while (!closed) {
                    LogEntry e = queue.poll(1, TimeUnit.SECONDS);
                    long lost = dropped.getAndSet(0);
                    if (lost > 0) {
                        listener.notice(lost + " lines dropped: the reader is too slow");
                    }
                    if (e == null) {
                        both.clear(); // the overlap was in the queue already
                    } else if (both.isEmpty() || !both.remove(e)) {
                        listener.line(e);
                    }
                }
            } catch (InterruptedException e) {
                // closed
            } catch (RuntimeException e) {
                // the listener failed (its client went away): the follower ends
                closed = true;
            }
        }
    }
}
