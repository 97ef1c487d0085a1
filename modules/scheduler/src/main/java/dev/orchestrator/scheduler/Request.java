package dev.orchestrator.scheduler;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.PlacementRequest;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One replica to place, with everything the filters look at.
 *
 * @param service     the service name
 * @param replica     the replica index, 0 or more
 * @param cpuShares   requested CPU shares; 0 means "not set" and fits any node
 * @param memoryBytes requested memory; 0 means "not set" and fits any node
 * @param constraints constraints every chosen node must satisfy, already parsed
 * @param maxPerNode  hard anti-affinity: at most this many replicas of the service per node;
 *                    0 means no limit, 1 means "one per node"
 * @param seed        the seed for breaking ties between equally scored nodes, overriding the
 *                    scheduler's; empty to use the scheduler's
 */
public record Request(String service, int replica, long cpuShares, long memoryBytes, List<Constraint> constraints,
                      int maxPerNode, OptionalLong seed) {
    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if the service is empty or a number is negative
     * @throws NullPointerException     if the service, the constraints or the seed is null
     */
    public Request {
        Objects.requireNonNull(service, "service");
        if (service.isEmpty()) {
            throw new IllegalArgumentException("service must not be empty");
        }
        if (replica < 0 || cpuShares < 0 || memoryBytes < 0 || maxPerNode < 0) {
            throw new IllegalArgumentException("replica, cpuShares, memoryBytes and maxPerNode must not be negative, got "
                    + replica + ", " + cpuShares + ", " + memoryBytes + ", " + maxPerNode);
        }
        constraints = List.copyOf(constraints);
        Objects.requireNonNull(seed, "seed");
    }

    /**
     * A request without constraints, anti-affinity or seed.
     *
     * @param service     the service name
     * @param replica     the replica index
     * @param cpuShares   requested CPU shares, 0 if unset
     * @param memoryBytes requested memory, 0 if unset
     * @return the request
     */
    public static Request of(String service, int replica, long cpuShares, long memoryBytes) {
        return new Request(service, replica, cpuShares, memoryBytes, List.of(), 0, OptionalLong.empty());
    }

    /**
     * The request for one replica of a deployed service: its resources, constraints and per-node limit.
     *
     * @param spec    the service
     * @param replica the replica index
     * @return the request
     * @throws OrchestratorException {@code INVALID_ARGUMENT} if a constraint is malformed
     */
    public static Request forReplica(ServiceSpec spec, int replica) {
        return of(spec.name(), replica, spec.resources().cpuShares(), spec.resources().memoryBytes())
                .withConstraints(spec.constraints())
                .withMaxPerNode(spec.maxPerNode() == null ? 0 : spec.maxPerNode());
    }

    /**
     * @param texts constraints such as {@code node.labels.disk==ssd}
     * @return a copy with these constraints, parsed
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the first malformed constraint
     */
    public Request withConstraints(List<String> texts) {
        return new Request(service, replica, cpuShares, memoryBytes, Constraint.parseAll(texts), maxPerNode, seed);
    }

    /**
     * @param max at most this many replicas of the service per node, 0 for no limit
     * @return a copy with this limit
     */
    public Request withMaxPerNode(int max) {
        return new Request(service, replica, cpuShares, memoryBytes, constraints, max, seed);
    }

    /**
     * @param newSeed the seed for breaking ties of this placement
     * @return a copy with this seed
     */
    public Request withSeed(long newSeed) {
        return new Request(service, replica, cpuShares, memoryBytes, constraints, maxPerNode, OptionalLong.of(newSeed));
    }

    /**
     * @param index another replica index
     * @return a copy for that replica of the same service
     */
    public Request withReplica(int index) {
        return new Request(service, index, cpuShares, memoryBytes, constraints, maxPerNode, seed);
    }

    /** @return the request as a scoring plugin sees it */
    public PlacementRequest toPlacementRequest() {
        return new PlacementRequest(service, replica, cpuShares, memoryBytes);
    }
}
