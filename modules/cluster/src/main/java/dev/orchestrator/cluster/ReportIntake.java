package dev.orchestrator.cluster;

import dev.orchestrator.api.Event;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ReplicaState;
import dev.orchestrator.store.StoreTx;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Writes what a report observed into the store: replica rows (only those of replicas still
 * assigned to the reporting node, and only when they say something new) and events (each once,
 * by the node's event id), and remembers the last event acknowledged per node.
 *
 * <p>Cost per report: one read of the node's assignments, plus two reads per replica that
 * differs from the node's previous report (or whose assignment changed since). A replica whose
 * report and assignment are both unchanged since the store was last seen to hold exactly its
 * row is skipped: only the assignment's node writes an assigned replica's row, and a new or
 * changed assignment (which is how the assigner or the API touches a row) invalidates the skip.
 *
 * <p>Thread-safe: reports of different nodes are recorded concurrently, each inside the
 * caller's transaction. One node's reports are serialized by that node.
 */
public final class ReportIntake {
    private static final System.Logger LOG = System.getLogger(ReportIntake.class.getName());
    private final Map<String, Long> acked = new ConcurrentHashMap<>();
    /** Per node: the replicas whose rows the store was seen to hold as reported, with their assignment. */
    private final Map<String, Map<Key, Seen>> confirmed = new ConcurrentHashMap<>();
    /** Per node: its assignments at its last report, to tell when a full report is due. */
    private final Map<String, List<Protocol.Assign>> assignmentsSeen = new ConcurrentHashMap<>();

    private record Key(String service, int index) {
    }

    private record Seen(Protocol.Replica replica, Assignment assignment) {
    }

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
     * @return what was recorded: the last event's id is acknowledged with {@link #acknowledge}
     *         once the transaction committed
     */
    public Recorded record(StoreTx tx, Protocol.Heartbeat hb) {
        boolean wrote = false;
        var assigned = new HashMap<Key, Assignment>();
        tx.assignments().onNode(hb.node()).forEach(a -> assigned.put(new Key(a.service(), a.index()), a));
        Map<Key, Seen> before = confirmed.getOrDefault(hb.node(), Map.of());
        var now = new HashMap<Key, Seen>();
        for (Protocol.Replica r : hb.replicas()) {
            var key = new Key(r.service(), r.index());
            Assignment a = assigned.get(key);
            Seen seen = before.get(key);
            if (a == null) {
                continue;
            }
            if (seen != null && seen.replica().equals(r) && seen.assignment().equals(a)) {
                now.put(key, seen); // most reports repeat the last one
                continue;
            }
            ReplicaRecord row = row(hb.node(), r);
            if (row == null || !a.accepts(row)) {
                continue;
            }
            if (row.sameAs(tx.replicas().get(r.service(), r.index()).orElse(null))) {
                // Confirmed only by a read: a write could still be rolled back with the transaction.
                now.put(key, new Seen(r, a));
            } else {
                tx.replicas().put(row);
                wrote = true;
            }
        }
        if (hb.partial()) {
            // Rows not listed did not change: what was confirmed of them still holds.
            var merged = new HashMap<>(before);
            merged.putAll(now);
            confirmed.put(hb.node(), merged);
        } else {
            confirmed.put(hb.node(), now);
        }
        long last = acked(hb.node());
        for (Protocol.Event e : hb.events()) {
            if (e.id() > last) {
                Event event = event(e);
                if (event != null) {
                    tx.events().append(event.onNode(hb.node()));
                }
                last = e.id();
            }
        }
        return new Recorded(last, wrote);
    }

    /**
     * What one report recorded.
     *
     * @param lastEvent   the id of the last event of the report now stored (or skipped)
     * @param rowsWritten true if a replica row changed (the assigner may have a move to settle)
     */
    public record Recorded(long lastEvent, boolean rowsWritten) {
    }

    /**
     * Whether a report has nothing to record: no event not yet stored, and every row one the
     * store was seen to hold, under the same assignment. Reads nothing from the store: the
     * assignments come from the caller (the feed's last snapshot, at most a rebuild behind; a
     * row that a just-changed assignment would now accept is written by the next report).
     *
     * @param hb          the report
     * @param assignments the node's assignments
     * @return true if {@link #record} would write nothing
     */
    public boolean nothingNew(Protocol.Heartbeat hb, List<Protocol.Assign> assignments) {
        long last = acked(hb.node());
        if (hb.events().stream().anyMatch(e -> e.id() > last)) {
            return false;
        }
        Map<Key, Seen> seen = confirmed.getOrDefault(hb.node(), Map.of());
        var assigned = new HashMap<Key, Protocol.Assign>();
        assignments.forEach(a -> assigned.put(new Key(a.service(), a.index()), a));
        for (Protocol.Replica r : hb.replicas()) {
            var key = new Key(r.service(), r.index());
            Protocol.Assign a = assigned.get(key);
            if (a == null) {
                continue; // not the node's: the full path would skip it too
            }
            Seen s = seen.get(key);
            if (s == null || !s.replica().equals(r) || !same(s.assignment(), a)) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Assignment stored, Protocol.Assign wire) {
        return stored.service().equals(wire.service()) && stored.index() == wire.index()
                && stored.node().equals(wire.node()) && Objects.equals(stored.previousNode(), wire.previousNode())
                && stored.assignedAt().toEpochMilli() == wire.assignedAt();
    }

    /**
     * Whether the node's next report must carry every row: after a partial report, if this
     * intake does not know the node's assignments at its previous report (this server started
     * since) or they changed since (a row skipped then may be one to record now). A full report
     * was just weighed against the current assignments: it needs no other. Remembers them.
     *
     * @param hb          the report just recorded
     * @param assignments the node's assignments now
     * @return true to ask for a full report
     */
    public boolean wantsFull(Protocol.Heartbeat hb, List<Protocol.Assign> assignments) {
        List<Protocol.Assign> before = assignmentsSeen.put(hb.node(), assignments);
        return hb.partial() && (before == null || !before.equals(assignments));
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
                    ReplicaState.parse(r.state()), Health.parse(r.health()), r.restartCount(), r.lastExitCode(),
                    r.hostPort(), r.message(), Instant.ofEpochMilli(r.updatedAt()));
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
