package dev.orchestrator.app;

import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.util.Objects;

/** Cordons, uncordons or drains a node; the assigner then places (or moves) replicas accordingly. */
public final class NodeAvailability {
    private final Store store;
    private final ClusterHooks hooks;
    private final Clock clock;
    private final Queries queries;

    /**
     * @param store   the store
     * @param hooks   the cluster side
     * @param clock   the clock of events
     * @param queries for the node view answered
     */
    public NodeAvailability(Store store, ClusterHooks hooks, Clock clock, Queries queries) {
        this.store = store;
        this.hooks = hooks;
        this.clock = clock;
        this.queries = queries;
    }

    /** What a node accepts; {@link #wireName()} is how the store and the API spell it. */
    public enum Availability {
        /** Gets new replicas ({@code uncordon}). */
        ACTIVE("active", "Node %s is active again"),
        /** Gets nothing new ({@code cordon}). */
        CORDONED("cordoned", "Node %s cordoned"),
        /** Gets nothing new, and its replicas move away ({@code drain}). */
        DRAINING("draining", "Node %s draining: its replicas move to other nodes");

        private final String wireName;
        private final String event;

        Availability(String wireName, String event) {
            this.wireName = wireName;
            this.event = event;
        }

        /** @return e.g. {@code cordoned} */
        public String wireName() {
            return wireName;
        }
    }

    /**
     * Set a node's availability.
     *
     * @param node         the node
     * @param availability what it accepts from now on
     */
    public record Command(String node, Availability availability) {
        public Command {
            Objects.requireNonNull(availability, "availability");
        }
    }

    /**
     * @param command the change
     * @return the node as changed
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}, with nothing changed
     */
    public NodeState run(Command command) {
        String name = Names.node(command.node());
        Availability a = command.availability();
        store.runInTransaction(tx -> {
            NodeRecord node = tx.node(name).orElseThrow(() -> Names.noNode(name));
            tx.putNode(node.withAvailability(a.wireName()));
            tx.append(new Event(clock.instant(), "node", null, null, a.event.formatted(name)));
        });
        hooks.availabilityChanged(name);
        return queries.node(name);
    }
}
