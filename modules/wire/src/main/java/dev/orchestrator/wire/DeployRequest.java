package dev.orchestrator.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import dev.orchestrator.api.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/deploy}, as the seed shows it, and the {@code spec} of a service view. {@link #toSpec()} validates every
 * field and yields the domain spec.
 *
 * @param name           service name
 * @param image          image reference
 * @param replicas       replica count, default 1
 * @param ports          ports
 * @param resources      resources
 * @param healthCheck    health check
 * @param env            environment
 * @param command        command override
 * @param restartPolicy  restart policy
 * @param constraints    placement constraints
 * @param strategy       scheduler strategy
 * @param maxPerNode     at most this many replicas per node
 * @param networks       managed networks to join
 * @param loadBalancer   load-balancing policy
 * @param stopSignal     the signal that asks a container to stop (default SIGTERM)
 * @param stopGracePeriod how long after it a container is killed, e.g. 30s (default 10s)
 * @param pullPolicy     if-not-present (default), always or never
 * @param update         how a new revision is rolled out, absent for every default (not written then)
 * @param stopAfterDisconnect fencing bound, e.g. 10s (1s..1h): a node that lost the server this
 *                       long stops the replicas, and the server waits that long before starting
 *                       them elsewhere; absent for availability first (not written then)
 */
public record DeployRequest(String name, String image, Integer replicas, List<Port> ports, ResourcesBody resources,
                            HealthCheck healthCheck, Map<String, String> env, List<String> command,
                            String restartPolicy, List<String> constraints, String strategy,
                            Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                            String stopGracePeriod, String pullPolicy,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Update update,
                            @JsonInclude(JsonInclude.Include.NON_NULL) String stopAfterDisconnect) {
    /** A request that is availability-first (no {@code stop_after_disconnect}). */
    public DeployRequest(String name, String image, Integer replicas, List<Port> ports, ResourcesBody resources,
                         HealthCheck healthCheck, Map<String, String> env, List<String> command,
                         String restartPolicy, List<String> constraints, String strategy,
                         Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                         String stopGracePeriod, String pullPolicy, Update update) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, pullPolicy, update, null);
    }

    /** A request with the default update settings. */
    public DeployRequest(String name, String image, Integer replicas, List<Port> ports, ResourcesBody resources,
                         HealthCheck healthCheck, Map<String, String> env, List<String> command,
                         String restartPolicy, List<String> constraints, String strategy,
                         Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                         String stopGracePeriod, String pullPolicy) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, pullPolicy, null);
    }

    /** A request with the default pull policy. */
    public DeployRequest(String name, String image, Integer replicas, List<Port> ports, ResourcesBody resources,
                         HealthCheck healthCheck, Map<String, String> env, List<String> command,
                         String restartPolicy, List<String> constraints, String strategy,
                         Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                         String stopGracePeriod) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, null);
    }

    /** A request without stop settings. */
    public DeployRequest(String name, String image, Integer replicas, List<Port> ports, ResourcesBody resources,
                         HealthCheck healthCheck, Map<String, String> env, List<String> command,
                         String restartPolicy, List<String> constraints, String strategy,
                         Integer maxPerNode, List<String> networks, String loadBalancer) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, null, null);
    }

    /**
     * A port.
     *
     * @param containerPort the container's port
     * @param hostPort      the published port, 0 or absent for none
     * @param protocol      tcp or udp
     */
    public record Port(Integer containerPort, Integer hostPort, String protocol) {
    }

    /**
     * Resources.
     *
     * @param cpuShares CPU shares
     * @param memoryMb  memory limit in MiB
     */
    public record ResourcesBody(Long cpuShares, Long memoryMb) {
    }

    /**
     * A health check.
     *
     * @param type        http, tcp or exec
     * @param endpoint    http URL
     * @param port        tcp port
     * @param command     exec argv
     * @param interval    e.g. 10s
     * @param timeout     e.g. 2s
     * @param retries     consecutive failures
     * @param startPeriod grace at start
     */
    public record HealthCheck(String type, String endpoint, Integer port, List<String> command, String interval,
                              String timeout, Integer retries, String startPeriod) {
    }

    /**
     * How a new revision is rolled out; an absent field takes its default.
     *
     * @param parallelism     replicas replaced at once, 1..1000 (default 1)
     * @param delay           wait between batches, e.g. 5s, 0s..1h (default 0s)
     * @param order           start-first (default) or stop-first
     * @param monitor         how long a new replica must stay healthy, 0s..1h (default 5s)
     * @param failureAction   rollback (default), pause or continue
     * @param maxFailureRatio the share of replicas that may fail, 0..1 (default 0)
     */
    public record Update(Integer parallelism, String delay, String order, String monitor, String failureAction,
                         Double maxFailureRatio) {
        /**
         * @param u update settings, or null
         * @return their request form, null for null
         */
        public static Update from(UpdateConfig u) {
            return u == null ? null : new Update(u.parallelism(), format(u.delay()), u.order(), format(u.monitor()),
                    u.failureAction(), u.maxFailureRatio());
        }

        /** @return the validated settings */
        public UpdateConfig toConfig() {
            return new UpdateConfig(parallelism, zeroOrMore("update.delay", delay), order,
                    zeroOrMore("update.monitor", monitor), failureAction, maxFailureRatio);
        }

        private static String format(Duration d) {
            return d == null ? null : d.isZero() ? "0s" : Validation.format(d);
        }
    }

    /**
     * The reverse of {@link #toSpec()}: a spec in the shape it is deployed in.
     *
     * @param spec a spec
     * @return its request form
     */
    public static DeployRequest from(ServiceSpec spec) {
        List<Port> ports = spec.ports().stream()
                .map(p -> new Port(p.containerPort(), p.hostPort(), p.protocol())).toList();
        HealthCheckSpec h = spec.healthCheck();
        HealthCheck check = h == null ? null : new HealthCheck(h.type(), h.endpoint(), h.port() == 0 ? null : h.port(),
                h.command().isEmpty() ? null : h.command(), Validation.format(h.interval()),
                Validation.format(h.timeout()), h.retries(),
                h.startPeriod().isZero() ? null : Validation.format(h.startPeriod()));
        return new DeployRequest(spec.name(), spec.image(), spec.replicas(), ports,
                new ResourcesBody(spec.resources().cpuShares(), spec.resources().memoryBytes() >> 20), check,
                spec.env(), spec.command(), spec.restartPolicy().wireName(), spec.constraints(), spec.strategy(),
                spec.maxPerNode(), spec.networks().isEmpty() ? null : spec.networks(), spec.loadBalancer(),
                spec.stopSignal(), spec.stopGracePeriod() == null ? null : Validation.format(spec.stopGracePeriod()),
                spec.pullPolicy(), Update.from(spec.update()),
                spec.stopAfterDisconnect() == null ? null : Validation.format(spec.stopAfterDisconnect()));
    }

    /** @return the validated spec */
    public ServiceSpec toSpec() {
        return new ServiceSpec(name, image, replicas == null ? 1 : replicas, toPorts(), toResources(), toHealthCheck(), env,
                command, RestartPolicy.parse(restartPolicy), constraints, strategy, maxPerNode, networks, loadBalancer,
                stopSignal, zeroOrMore("stop_grace_period", stopGracePeriod), pullPolicy,
                update == null ? null : update.toConfig(), duration("stop_after_disconnect", stopAfterDisconnect));
    }

    private List<PortMapping> toPorts() {
        if (ports == null) {
            return List.of();
        }
        return ports.stream().map(p -> {
            if (p == null || p.containerPort() == null) {
                throw OrchestratorException.invalid("ports.container_port is required");
            }
            return new PortMapping(p.containerPort(), p.hostPort() == null ? 0 : p.hostPort(), p.protocol());
        }).toList();
    }

    private Resources toResources() {
        if (resources == null) {
            return Resources.NONE;
        }
        long mb = resources.memoryMb() == null ? 0 : resources.memoryMb();
        if (mb < 0 || mb > (1L << 20)) {
            throw OrchestratorException.invalid("resources.memory_mb must be in 6..1048576, got " + mb);
        }
        return new Resources(resources.cpuShares() == null ? 0 : resources.cpuShares(), mb << 20);
    }

    private HealthCheckSpec toHealthCheck() {
        if (healthCheck == null) {
            return null;
        }
        HealthCheck h = healthCheck;
        return requireUsable(new HealthCheckSpec(h.type(), h.endpoint(), h.port() == null ? 0 : h.port(),
                h.command(), duration("health_check.interval", h.interval()),
                duration("health_check.timeout", h.timeout()), h.retries() == null ? 0 : h.retries(),
                zeroOrMore("health_check.start_period", h.startPeriod())));
    }

    /**
     * A check of a built-in type without the one field that type probes could never pass: it is
     * refused here rather than leaving the replicas unhealthy forever. Drop-in types read what
     * they like.
     */
    private static HealthCheckSpec requireUsable(HealthCheckSpec h) {
        switch (h.type()) {
            case "http" -> {
                if (h.endpoint() == null || h.endpoint().isBlank()) {
                    throw OrchestratorException.invalid("health_check.endpoint is required for an http check:"
                            + " the URL to GET, e.g. http://localhost:8080/health");
                }
            }
            case "tcp" -> {
                if (h.port() == 0) {
                    throw OrchestratorException.invalid("health_check.port is required for a tcp check:"
                            + " the container port to connect to");
                }
            }
            case "exec" -> {
                if (h.command().isEmpty()) {
                    throw OrchestratorException.invalid("health_check.command is required for an exec check:"
                            + " the argv to run inside the container, e.g. [\"/bin/check\"]");
                }
            }
            default -> {
                // a drop-in probe's own fields
            }
        }
        return h;
    }

    private static Duration duration(String field, String text) {
        return text == null ? null : Validation.duration(field, text);
    }

    /** Like {@link #duration}, but zero ({@code 0}, {@code 0s}, ...) is allowed. */
    private static Duration zeroOrMore(String field, String text) {
        return text != null && text.matches("0+(ms|s|m|h)?") ? Duration.ZERO : duration(field, text);
    }
}
