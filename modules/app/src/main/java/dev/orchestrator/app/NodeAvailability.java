package dev.orchestrator.app;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.NodeStatus;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.NodeRecord;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.util.Objects;

/**
 * Cordons, uncordons, drains or removes a node; the assigner then places (or moves) replicas
 * accordingly.
 */
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

    /**
     * Remove a node from the cluster.
     *
     * @param node  the node
     * @param force remove it even while it reports (its agent is then refused from now on)
     */
    public record Removal(String node, boolean force) {
    }

    /**
     * Removes a node: its record and its own credential, which is revoked (its agent is refused
     * from its next request, and joins again only with a join token and its saved credential removed). Its
     * replicas are placed on other nodes. The server's own node cannot be removed.
     *
     * @param removal which node
     * @return the node's name
     * @throws OrchestratorException {@code NOT_FOUND}; {@code CONFLICT} for the server's own node,
     *                               or a ready node without {@code force}; nothing changed then
     */
    public String remove(Removal removal) {
        String name = Names.node(removal.node());
        if (name.equals(hooks.localNode())) {
            throw new OrchestratorException(ErrorCode.CONFLICT, "node " + name + " is the server's own node: it"
                    + " cannot be removed (cordon or drain it, or run the server with --no-local-node)");
        }
        store.runInTransaction(tx -> {
            var node = tx.nodes().get(name);
            boolean credential = tx.credentials().get(name).isPresent();
            if (node.isEmpty() && !credential) {
                throw Names.noNode(name);
            }
            if (node.isPresent() && node.get().status() == NodeStatus.READY && !removal.force()) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "node " + name + " is ready: stop its agent"
                        + " first (drain it to move its replicas before), or remove it anyway with force, which"
                        + " refuses its agent from now on");
            }
            tx.nodes().delete(name);
            tx.credentials().delete(name);
            tx.events().append(new Event(clock.instant(), "node", null, null, "Node " + name
                    + " removed; its credential is revoked").onNode(name));
        });
        hooks.availabilityChanged(name);
        return name;
    }

    private static String event(Availability a) {
        return switch (a) {
            case ACTIVE -> "Node %s is active again";
            case CORDONED -> "Node %s cordoned";
            case DRAINING -> "Node %s draining: its replicas move to other nodes";
        };
    }
}
