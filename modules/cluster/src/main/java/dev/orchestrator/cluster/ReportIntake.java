package dev.orchestrator.cluster;

import dev.orchestrator.api.Event;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.StoreTx;
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
    private final Map<String, Long> acked = new ConcurrentHashMap<>();

    /** Nothing acknowledged yet. */
    public ReportIntake() {
    }

    /**
     * Records one report in the caller's transaction.
     *
     * @param tx the transaction
     * @param hb the report
     */
    public void record(StoreTx tx, Protocol.Heartbeat hb) {
        for (Protocol.Replica r : hb.replicas()) {
            ReplicaRecord row = row(hb.node(), r);
            // Most reports repeat the last one: only rows that say something new are written.
            if (tx.assignment(r.service(), r.index()).filter(a -> a.accepts(row)).isPresent()
                    && !row.sameAs(tx.replica(r.service(), r.index()).orElse(null))) {
                tx.putReplica(row);
            }
        }
        long last = acked(hb.node());
        for (Protocol.Event e : hb.events()) {
            if (e.id() > last) {
                tx.append(new Event(Instant.ofEpochMilli(e.timestamp()), e.type(), e.service(), e.container(),
                        e.message()));
                last = e.id();
            }
        }
        acked.put(hb.node(), last);
    }

    /**
     * @param node a node
     * @return the id of its last event stored, 0 if none since this server started
     */
    public long acked(String node) {
        return acked.getOrDefault(node, 0L);
    }

    private static ReplicaRecord row(String node, Protocol.Replica r) {
        return new ReplicaRecord(r.service(), r.index(), node, r.containerId(), r.containerName(), r.revision(),
                r.state(), r.health(), r.restartCount(), r.lastExitCode(), r.hostPort(), r.message(),
                Instant.ofEpochMilli(r.updatedAt()));
    }
}
