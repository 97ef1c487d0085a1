package dev.orchestrator.api;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The desired state of a service, as deployed by a user. Construction validates every field,
 * so a {@code ServiceSpec} that exists is a valid one.
 *
 * @param name          the service name, a DNS label; replicas are named {@code <name>-<index>}
 * @param image         the image reference
 * @param replicas      desired replica count, 0..1000
 * @param ports         exposed ports; published host ports are unique
 * @param resources     CPU shares and memory limit
 * @param healthCheck   the probe, or null for "running means healthy"
 * @param env           environment variables
 * @param command       command override, empty for the image's default
 * @param restartPolicy when to restart stopped replicas
 * @param constraints   placement constraints such as {@code node.labels.disk==ssd}
 * @param strategy      scheduler strategy plugin name, or null for the cluster default
 * @param maxPerNode    at most this many replicas on one node (hard anti-affinity), 1..1000, or
 *                      null for no limit (the {@code spread} strategy still prefers to spread)
 */
public record ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                          HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                          RestartPolicy restartPolicy, List<String> constraints, String strategy,
                          Integer maxPerNode) {
    /** Upper bound on replicas of one service. */
    public static final int MAX_REPLICAS = 1000;

    /** Validates every field and makes the collections immutable. */
    public ServiceSpec {
        Validation.dnsLabel("name", name);
        Validation.imageRef("image", image);
        Validation.range("replicas", replicas, 0, MAX_REPLICAS);
        ports = Validation.listOf("ports", ports);
        resources = Objects.requireNonNullElse(resources, Resources.NONE);
        env = copyEnv(env);
        command = Validation.listOf("command", command);
        restartPolicy = Objects.requireNonNullElse(restartPolicy, RestartPolicy.ALWAYS);
        constraints = Validation.listOf("constraints", constraints);
        if (strategy != null) {
            Validation.dnsLabel("strategy", strategy);
        }
        if (maxPerNode != null) {
            Validation.range("max_per_node", maxPerNode, 1, MAX_REPLICAS);
        }
        requireDistinctPorts(ports);
    }

    /**
     * A spec without a per-node limit.
     *
     * @param name          the service name
     * @param image         the image reference
     * @param replicas      desired replica count
     * @param ports         exposed ports
     * @param resources     CPU shares and memory limit
     * @param healthCheck   the probe, or null
     * @param env           environment variables
     * @param command       command override
     * @param restartPolicy when to restart stopped replicas
     * @param constraints   placement constraints
     * @param strategy      scheduler strategy, or null
     */
    public ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                       HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                       RestartPolicy restartPolicy, List<String> constraints, String strategy) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                null);
    }

    /**
     * @param count the new replica count
     * @return a copy with another replica count
     */
    public ServiceSpec withReplicas(int count) {
        return new ServiceSpec(name, image, count, ports, resources, healthCheck, env, command, restartPolicy,
                constraints, strategy, maxPerNode);
    }

    private static Map<String, String> copyEnv(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        var sorted = new TreeMap<String, String>();
        env.forEach((k, v) -> {
            Validation.envKey("env", k);
            if (v == null) {
                throw OrchestratorException.invalid("env." + k + " must be a string, got null");
            }
            sorted.put(k, v);
        });
        return Map.copyOf(sorted);
    }

    private static void requireDistinctPorts(List<PortMapping> ports) {
        var hostPorts = new HashSet<String>();
        var containerPorts = new HashSet<String>();
        for (PortMapping p : ports) {
            if (p.published() && !hostPorts.add(p.hostPort() + "/" + p.protocol())) {
                throw OrchestratorException.invalid("ports: host_port " + p.hostPort() + "/" + p.protocol()
                        + " is listed twice");
            }
            if (!containerPorts.add(p.containerPort() + "/" + p.protocol())) {
                throw OrchestratorException.invalid("ports: container_port " + p.containerPort() + "/"
                        + p.protocol() + " is listed twice");
            }
        }
    }
}
