package dev.orchestrator.scheduler;

import java.util.List;

/**
 * The outcome of placing several replicas one after another.
 *
 * @param placements one per request, in the order of the requests
 * @param nodes      the nodes afterwards: the input nodes in the same order, with the placed
 *                   replicas' resources and counts added
 */
public record BatchPlacement(List<Placement> placements, List<NodeState> nodes) {
    /** Makes the lists immutable. */
    public BatchPlacement {
        placements = List.copyOf(placements);
        nodes = List.copyOf(nodes);
    }
}
