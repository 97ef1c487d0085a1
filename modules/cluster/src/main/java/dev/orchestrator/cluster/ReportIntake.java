package dev.orchestrator.cluster;

import dev.orchestrator.api.Event;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.StoreTx;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes what a report observed into the store: replica rows (only those of replicas still
 * assigned to the reporting node, and only when they say something new) and events (each once,
 * by the node's event id), and remembers the last event acknowledged per node.
 *
 * <p>Thread-safe: reports of different nodes are recorded concurrently, each inside the
 * caller's transaction. One node's reports are serialized by that node.
 */
public final class ReportIntake {
    private static final System.Logger LOG = System.getLogger(ReportIntake.class.getName());
    private final Map<String, Long> acked = new ConcurrentHashMap<>();

    /** Nothing acknowledged yet. */
    public ReportIntake() {
    }

    /**
     * Records one report in the caller's transaction. A row or an event that does not make a
     * record (a malformed field) is skipped, not fatal: one bad entry must not cost the node
     * its liveness, its other rows and its backends, nor wedge it resending the same event.
     *
     * @param tx the transaction
     * @param hb the report
     * @return the id of the last event of the report now stored (or skipped), to acknowledge
     *         with {@link #acknowledge} once the transaction committed
     */
    public long record(StoreTx tx, Protocol.Heartbeat hb) {
        for (Protocol.Replica r : hb.replicas()) {
            ReplicaRecord row = row(hb.node(), r);
            // Most reports repeat the last one: only rows that say something new are written.
            if (row != null && tx.assignment(r.service(), r.index()).filter(a -> a.accepts(row)).isPresent()
                    && !row.sameAs(tx.replica(r.service(), r.index()).orElse(null))) {
                tx.putReplica(row);
            }
        }
        long last = acked(hb.node());
        for (Protocol.Event e : hb.events()) {
            if (e.id() > last) {
                Event event = event(e);
                if (event != null) {
                    tx.append(event);
                }
                last = e.id();
            }
        }
        return last;
    }

    /**
     * @param node   the node
     * @param lastId the id {@link #record} returned, now committed
     */
    public void acknowledge(String node, long lastId) {
        acked.merge(node, lastId, Math::max);
    }

    /**
     * @param node a node
     * @return the id of its last event stored, 0 if none since this server started
     */
    public long acked(String node) {
        return acked.getOrDefault(node, 0L);
    }

    /** The row, or null (logged) when its fields do not make one. */
    private static ReplicaRecord row(String node, Protocol.Replica r) {
        try {
            return new ReplicaRecord(r.service(), r.index(), node, r.containerId(), r.containerName(), r.revision(),
                    r.state(), r.health(), r.restartCount(), r.lastExitCode(), r.hostPort(), r.message(),
                    Instant.ofEpochMilli(r.updatedAt()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + node + " reported a malformed row, skipped: " + e.getMessage());
            return null;
        }
    }

    /** The event, or null (logged) when its fields do not make one. */
    private static Event event(Protocol.Event e) {
        try {
            return new Event(Instant.ofEpochMilli(e.timestamp()), e.type(), e.service(), e.container(), e.message());
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "a node reported a malformed event, skipped: " + ex.getMessage());
            return null;
        }
    }
}
