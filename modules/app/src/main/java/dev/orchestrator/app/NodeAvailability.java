package dev.orchestrator.app;

import dev.orchestrator.api.Availability;
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
            NodeRecord node = tx.nodes().get(name).orElseThrow(() -> Names.noNode(name));
            tx.nodes().put(node.withAvailability(a));
            tx.events().append(new Event(clock.instant(), "node", null, null, event(a).formatted(name)).onNode(name));
        });
        hooks.availabilityChanged(name);
        return queries.node(name);
    }

    private static String event(Availability a) {
        return switch (a) {
            case ACTIVE -> "Node %s is active again";
            case CORDONED -> "Node %s cordoned";
            case DRAINING -> "Node %s draining: its replicas move to other nodes";
        };
    }
}
