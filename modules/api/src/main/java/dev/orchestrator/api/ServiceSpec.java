package dev.orchestrator.api;

import java.time.Duration;
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
 * @param networks      the managed networks its containers join, DNS labels of at most
 *                      {@value #MAX_NETWORK_NAME} characters, at most {@value #MAX_NETWORKS}, in
 *                      the order given; empty for {@value #DEFAULT_NETWORK} alone
 * @param loadBalancer  load-balancing policy plugin name, or null for {@value #DEFAULT_POLICY}
 * @param stopSignal    the signal that asks a container to stop, e.g. {@code SIGQUIT} (stored as
 *                      {@code SIG<NAME>} or a number 1..64), or null for {@value #DEFAULT_STOP_SIGNAL}
 * @param stopGracePeriod how long a container gets after that signal before it is killed, 0..1h,
 *                      or null for 10 s
 * @param pullPolicy    when a node pulls the image: {@code if-not-present}, {@code always} or
 *                      {@code never}, or null for {@value #DEFAULT_PULL_POLICY}
 * @param update        how the deployment controller rolls out a new revision, or null for
 *                      {@link UpdateConfig#DEFAULT}; changing only this makes no new revision
 * @param stopAfterDisconnect fencing: a node that has lost the server this long stops the
 *                      service's replicas itself, and the server waits this long (plus the stop
 *                      grace and a margin) before starting them elsewhere, so two copies of a
 *                      replica never run longer than that; {@value #MIN_STOP_AFTER_DISCONNECT_SECONDS} s..1 h,
 *                      or null for availability first (replicas of a lost node start elsewhere
 *                      at once); changing only this makes no new revision
 */
public record ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                          HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                          RestartPolicy restartPolicy, List<String> constraints, String strategy,
                          Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                          Duration stopGracePeriod, String pullPolicy, UpdateConfig update,
                          Duration stopAfterDisconnect) {
    /** The pull policy of a service that names none. */
    public static final String DEFAULT_PULL_POLICY = "if-not-present";
    private static final java.util.Set<String> PULL_POLICIES = java.util.Set.of("if-not-present", "always", "never");
    /** The stop signal of a service that names none. */
    public static final String DEFAULT_STOP_SIGNAL = "SIGTERM";
    /** The stop grace period of a service that names none. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);
    /** Longest stop grace period. */
    public static final Duration MAX_STOP_GRACE = Duration.ofHours(1);
    /**
     * Shortest {@code stop_after_disconnect}, in seconds: a node reports every second, so a
     * shorter bound would stop replicas over one late heartbeat.
     */
    public static final int MIN_STOP_AFTER_DISCONNECT_SECONDS = 1;
    /** Longest {@code stop_after_disconnect}: the server holds a lost node's replicas that long. */
    public static final Duration MAX_STOP_AFTER_DISCONNECT = Duration.ofHours(1);
    private static final java.util.Set<String> SIGNALS = java.util.Set.of("HUP", "INT", "QUIT", "ABRT", "KILL",
            "USR1", "USR2", "TERM", "WINCH", "PWR", "STOP");
    /** Upper bound on replicas of one service. */
    public static final int MAX_REPLICAS = 1000;
    /** The network of a service that names none. */
    public static final String DEFAULT_NETWORK = "default";
    /** The policy of a service that names none. */
    public static final String DEFAULT_POLICY = "round-robin";
    /** Upper bound on the networks of one service. */
    public static final int MAX_NETWORKS = 8;
    /** Longest network name (Docker's name is {@code orch-<name>}, kept short for interface names). */
    public static final int MAX_NETWORK_NAME = 32;

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
        networks = networks(networks);
        if (loadBalancer != null) {
            Validation.dnsLabel("load_balancer", loadBalancer);
        }
        requireDistinctPorts(ports);
        stopSignal = stopSignal == null ? null : signal(stopSignal);
        if (stopGracePeriod != null && (stopGracePeriod.isNegative() || stopGracePeriod.compareTo(MAX_STOP_GRACE) > 0)) {
            throw OrchestratorException.invalid("stop_grace_period must be in 0s..1h, got "
                    + Validation.format(stopGracePeriod));
        }
        pullPolicy = pullPolicy == null ? null : pullPolicy.trim().toLowerCase(java.util.Locale.ROOT);
        if (pullPolicy != null && !PULL_POLICIES.contains(pullPolicy)) {
            throw OrchestratorException.invalid("pull_policy must be if-not-present, always or never, got '"
                    + (pullPolicy.length() > 20 ? pullPolicy.substring(0, 20) + "..." : pullPolicy) + "'");
        }
        if (update != null && update.isDefault()) {
            update = null; // one form for "defaults": the stored text of equal specs is equal
        }
        if (stopAfterDisconnect != null
                && (stopAfterDisconnect.compareTo(Duration.ofSeconds(MIN_STOP_AFTER_DISCONNECT_SECONDS)) < 0
                || stopAfterDisconnect.compareTo(MAX_STOP_AFTER_DISCONNECT) > 0)) {
            throw OrchestratorException.invalid("stop_after_disconnect must be in "
                    + MIN_STOP_AFTER_DISCONNECT_SECONDS + "s..1h, got " + Validation.format(stopAfterDisconnect));
        }
    }

    /** A spec that is availability-first: no {@code stop_after_disconnect}. */
    public ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                       HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                       RestartPolicy restartPolicy, List<String> constraints, String strategy,
                       Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                       Duration stopGracePeriod, String pullPolicy, UpdateConfig update) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, pullPolicy, update, null);
    }

    /**
     * @param bound the new {@code stop_after_disconnect}, or null for availability first
     * @return a copy with it
     */
    public ServiceSpec withStopAfterDisconnect(Duration bound) {
        return new ServiceSpec(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy,
                constraints, strategy, maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, pullPolicy,
                update, bound);
    }

    /** A spec with the default update settings. */
    public ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                       HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                       RestartPolicy restartPolicy, List<String> constraints, String strategy,
                       Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                       Duration stopGracePeriod, String pullPolicy) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, pullPolicy, null);
    }

    /** @return how a new revision is rolled out: the settings given, or the defaults */
    public UpdateConfig effectiveUpdate() {
        return update == null ? UpdateConfig.DEFAULT : update;
    }

    /**
     * @param settings new update settings, or null for the defaults
     * @return a copy with them
     */
    public ServiceSpec withUpdate(UpdateConfig settings) {
        return new ServiceSpec(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy,
                constraints, strategy, maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, pullPolicy,
                settings, stopAfterDisconnect);
    }

    /** A spec with the default pull policy. */
    public ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                       HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                       RestartPolicy restartPolicy, List<String> constraints, String strategy,
                       Integer maxPerNode, List<String> networks, String loadBalancer, String stopSignal,
                       Duration stopGracePeriod) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, null);
    }

    /** @return when nodes pull the image: the policy named, or {@value #DEFAULT_PULL_POLICY} */
    public String effectivePullPolicy() {
        return pullPolicy == null ? DEFAULT_PULL_POLICY : pullPolicy;
    }

    /** A spec with the default stop signal and grace period. */
    public ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                       HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                       RestartPolicy restartPolicy, List<String> constraints, String strategy,
                       Integer maxPerNode, List<String> networks, String loadBalancer) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, networks, loadBalancer, null, null);
    }

    /** @return the stop signal: the one named, or {@value #DEFAULT_STOP_SIGNAL} */
    public String effectiveStopSignal() {
        return stopSignal == null ? DEFAULT_STOP_SIGNAL : stopSignal;
    }

    /** @return the stop grace period: the one given, or 10 s */
    public Duration effectiveStopGrace() {
        return stopGracePeriod == null ? DEFAULT_STOP_GRACE : stopGracePeriod;
    }

    /** {@code quit}, {@code SIGQUIT} and {@code 3} are all accepted; names come back as {@code SIGQUIT}. */
    private static String signal(String text) {
        String t = text.trim().toUpperCase(java.util.Locale.ROOT);
        if (t.matches("[0-9]{1,2}")) {
            Validation.range("stop_signal", Integer.parseInt(t), 1, 64);
            return Integer.toString(Integer.parseInt(t));
        }
        String name = t.startsWith("SIG") ? t.substring(3) : t;
        if (!SIGNALS.contains(name)) {
            throw OrchestratorException.invalid("stop_signal must be a signal name such as SIGTERM or SIGQUIT,"
                    + " or a number 1..64, got '" + (text.length() > 20 ? text.substring(0, 20) + "..." : text) + "'");
        }
        return "SIG" + name;
    }

    /**
     * A spec on the default network with the default policy.
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
     * @param maxPerNode    per-node limit, or null
     */
    public ServiceSpec(String name, String image, int replicas, List<PortMapping> ports, Resources resources,
                       HealthCheckSpec healthCheck, Map<String, String> env, List<String> command,
                       RestartPolicy restartPolicy, List<String> constraints, String strategy,
                       Integer maxPerNode) {
        this(name, image, replicas, ports, resources, healthCheck, env, command, restartPolicy, constraints, strategy,
                maxPerNode, List.of(), null);
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
                null, List.of(), null);
    }

    /**
     * @param count the new replica count
     * @return a copy with another replica count
     */
    public ServiceSpec withReplicas(int count) {
        return new ServiceSpec(name, image, count, ports, resources, healthCheck, env, command, restartPolicy,
                constraints, strategy, maxPerNode, networks, loadBalancer, stopSignal, stopGracePeriod, pullPolicy,
                update, stopAfterDisconnect);
    }

    /** @return the networks its containers join: those named, or {@value #DEFAULT_NETWORK} */
    public List<String> effectiveNetworks() {
        return networks.isEmpty() ? List.of(DEFAULT_NETWORK) : networks;
    }

    /** @return the load-balancing policy: the one named, or {@value #DEFAULT_POLICY} */
    public String effectiveLoadBalancer() {
        return loadBalancer == null ? DEFAULT_POLICY : loadBalancer;
    }

    private static List<String> networks(List<String> names) {
        List<String> list = Validation.listOf("networks", names);
        if (list.size() > MAX_NETWORKS) {
            throw OrchestratorException.invalid("networks: at most " + MAX_NETWORKS + " per service, got "
                    + list.size());
        }
        var seen = new HashSet<String>();
        for (String n : list) {
            Validation.dnsLabel("networks", n);
            if (n.length() > MAX_NETWORK_NAME) {
                throw OrchestratorException.invalid("networks: a name has at most " + MAX_NETWORK_NAME
                        + " characters, got '" + n + "'");
            }
            if (!seen.add(n)) {
                throw OrchestratorException.invalid("networks: '" + n + "' is listed twice");
            }
        }
        return list;
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
