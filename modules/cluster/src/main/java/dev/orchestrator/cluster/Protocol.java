package dev.orchestrator.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The messages between a node and the control plane (see {@link ControlPlaneLink}), as JSON
 * (snake_case) when they travel over HTTP.
 *
 * <p>Two flows, as in Nomad's client/server split:
 * <ul>
 *   <li><b>Reports</b> ({@link Heartbeat}, answered with a small {@link Reply}): liveness and
 *   observed state (replica rows, events not yet acknowledged, healthy backends, usage), every
 *   second and at once when something changed. The first one registers the node.</li>
 *   <li><b>Watches</b> (answered with {@link Desired}): a blocking query, "what this node needs,
 *   newer than index N". It returns as soon as the node's view changes, or after the wait with
 *   the same index. A view is complete, never a delta, and carries only what the node needs:
 *   the services it runs or holds and those with published ports (every node routes every
 *   published port), its assignments, and the other nodes' backends of published ports. A lost
 *   answer costs nothing: the next watch carries the index.</li>
 * </ul>
 */
public final class Protocol {
    /** The path agents post heartbeats to. */
    public static final String HEARTBEAT_PATH = "/agent/v1/heartbeat";
    /** How often an agent sends a heartbeat. */
    public static final java.time.Duration HEARTBEAT_INTERVAL = java.time.Duration.ofSeconds(1);
    /** Slack for a message in flight and its handling, added to heartbeat-bound waits. */
    public static final java.time.Duration SLACK = java.time.Duration.ofMillis(500);

    /**
     * The path an agent asks, on the server's API port and unauthenticated, where nodes reach
     * the server: answered with a {@link Cluster}.
     */
    public static final String CLUSTER_PATH = "/agent/v1/cluster";
    /**
     * The path an agent joins at with a join token ({@code POST ?node=}): answered with a
     * {@link Joined} carrying the node's own credential.
     */
    public static final String JOIN_PATH = "/agent/v1/join";

    /** The path agents hold their watches on (a blocking {@code GET}). */
    public static final String WATCH_PATH = "/agent/v1/watch";
    /** The longest a watch may be held before it returns unchanged. */
    public static final java.time.Duration WATCH_WAIT = java.time.Duration.ofSeconds(30);

    /** The path the server reads the captured lines of a service from (on the agent). */
    public static final String SERVICE_LOGS_PATH = "/agent/v1/service-logs";
    /**
     * The path the server follows a service's lines on (on the agent): newline-delimited JSON
     * {@link LogEntry}s, a {@code {"notice": ...}} object for a notice, {@code {"caught_up": true}}
     * after the kept lines, empty lines to keep alive.
     */
    public static final String FOLLOW_LOGS_PATH = "/agent/v1/service-logs/follow";
    /** The path the server asks an agent whether an image is present (on the agent). */
    public static final String IMAGES_PATH = "/agent/v1/images";

    /**
     * The HTTP header in which each side names the versions of this protocol it speaks, as
     * comma-separated numbers: agents send it with every request, the server with every answer.
     */
    public static final String VERSION_HEADER = "Orchestrator-Protocol";
    /** The versions of the protocol this build speaks (a new, incompatible change of the messages adds one). */
    public static final List<Integer> VERSIONS = List.of(1);
    /** What a peer that sends no {@link #VERSION_HEADER} speaks: the releases before the header all spoke 1. */
    static final List<Integer> UNDECLARED = List.of(1);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Protocol() {
    }

    /** @return {@link #VERSIONS} as the value of {@link #VERSION_HEADER} */
    public static String versionHeader() {
        return String.join(",", VERSIONS.stream().map(String::valueOf).toList());
    }

    /**
     * Whether the peer speaks a version this build speaks.
     *
     * @param header the peer's {@link #VERSION_HEADER}, null if it sent none
     * @param us     this side, for the message ("this server", "this agent")
     * @param them   the peer, for the message ("the agent n1", "the server http://...")
     * @return empty if they share a version; else why not, naming the versions of each side
     */
    public static java.util.Optional<String> mismatch(String header, String us, String them) {
        List<Integer> theirs = header == null || header.isBlank() ? UNDECLARED : versions(header);
        if (theirs.stream().anyMatch(VERSIONS::contains)) {
            return java.util.Optional.empty();
        }
        String spoken = theirs.isEmpty() ? "an unreadable version '"
                + header.strip().substring(0, Math.min(header.strip().length(), 20)) + "'" : "version "
                + join(theirs);
        return java.util.Optional.of(them + " speaks node protocol " + spoken + "; " + us
                + " speaks version " + join(VERSIONS) + ": run the same release on both sides");
    }

    private static List<Integer> versions(String header) {
        var out = new java.util.ArrayList<Integer>();
        for (String part : header.split(",", 32)) {
            String p = part.strip();
            if (!p.matches("[0-9]{1,6}")) {
                return List.of();
            }
            out.add(Integer.parseInt(p));
        }
        return out;
    }

    private static String join(List<Integer> versions) {
        return String.join(", ", versions.stream().map(String::valueOf).toList());
    }

    /**
     * One heartbeat.
     *
     * @param node           the node name
     * @param nodeId         the agent's identity, random and kept in its data directory: two agents
     *                       claiming one name are told apart by it
     * @param address        the address replicas' host ports bind to, reachable from other nodes
     * @param agentUrl       where the agent's own endpoint answers (logs), e.g. {@code http://10.0.0.2:7947}
     * @param labels         the node's labels
     * @param cpus           CPUs the node offers
     * @param memoryBytes    memory the node offers
     * @param runtimeVersion the container runtime's version
     * @param replicas       the rows of the replicas the node runs: all of them, or with
     *                       {@code partial} only those that changed since its last accepted report
     * @param events         events raised on the node not yet acknowledged, oldest first
     * @param backends       the node's healthy backends of published ports
     * @param usage          the node's resource usage
     * @param partial        true if {@code replicas} holds only the changed rows
     * @param networking     true if the node runs managed networks and wants their part of its
     *                       view (subnets, directory, replicas' network addresses)
     * @param engine         why the node's container engine does not answer, or null while it does
     * @param observed       the node's measurements (containers' CPU and memory, probe and load
     *                       balancer counters), or null in a report that carries none
     */
    public record Heartbeat(String node, String nodeId, String address, String agentUrl, Map<String, String> labels, int cpus,
                            long memoryBytes, String runtimeVersion, List<Replica> replicas, List<Event> events,
                            List<Backend> backends, Usage usage, boolean partial, boolean networking,
                            String engine, Observed observed) {
        /** Copies; null lists become empty. */
        public Heartbeat {
            labels = labels == null ? Map.of() : Map.copyOf(labels);
            replicas = replicas == null ? List.of() : List.copyOf(replicas);
            events = events == null ? List.of() : List.copyOf(events);
            backends = backends == null ? List.of() : List.copyOf(backends);
        }

        /** A report without measurements. */
        public Heartbeat(String node, String nodeId, String address, String agentUrl, Map<String, String> labels,
                         int cpus, long memoryBytes, String runtimeVersion, List<Replica> replicas, List<Event> events,
                         List<Backend> backends, Usage usage, boolean partial, boolean networking, String engine) {
            this(node, nodeId, address, agentUrl, labels, cpus, memoryBytes, runtimeVersion, replicas, events,
                    backends, usage, partial, networking, engine, null);
        }

        /** A report of a node whose engine answers. */
        public Heartbeat(String node, String nodeId, String address, String agentUrl, Map<String, String> labels,
                         int cpus, long memoryBytes, String runtimeVersion, List<Replica> replicas, List<Event> events,
                         List<Backend> backends, Usage usage, boolean partial, boolean networking) {
            this(node, nodeId, address, agentUrl, labels, cpus, memoryBytes, runtimeVersion, replicas, events,
                    backends, usage, partial, networking, null);
        }

        /** A report of a node without managed networks. */
        public Heartbeat(String node, String nodeId, String address, String agentUrl, Map<String, String> labels,
                         int cpus, long memoryBytes, String runtimeVersion, List<Replica> replicas, List<Event> events,
                         List<Backend> backends, Usage usage, boolean partial) {
            this(node, nodeId, address, agentUrl, labels, cpus, memoryBytes, runtimeVersion, replicas, events,
                    backends, usage, partial, false);
        }

        /** A complete report: every row. */
        public Heartbeat(String node, String nodeId, String address, String agentUrl, Map<String, String> labels,
                         int cpus, long memoryBytes, String runtimeVersion, List<Replica> replicas, List<Event> events,
                         List<Backend> backends, Usage usage) {
            this(node, nodeId, address, agentUrl, labels, cpus, memoryBytes, runtimeVersion, replicas, events,
                    backends, usage, false);
        }
    }

    /**
     * The control plane's answer to a report.
     *
     * @param clusterId    the cluster id (the label value of every container of this cluster)
     * @param status       the node's status as the server sees it
     * @param availability the node's availability
     * @param eventsAcked  the id of the last event of the heartbeat now stored, 0 if none
     * @param serverKey    what the server presents (as a bearer token) when it calls the agent's
     *                     endpoint; random per server process, so it lives only as long as it
     * @param fullReport   true when the next report must carry every row (this server has not
     *                     seen them all yet, or the node's assignments changed since its last
     *                     report, so rows it skipped may now be recorded)
     * @param reportEvery  the longest the node should wait between reports when nothing changed,
     *                     in milliseconds, if longer than its own heartbeat interval; 0 to keep
     *                     its own. The server spaces reports out as the cluster grows (see
     *                     {@link NodeGateway#REPORTS_PER_SECOND})
     */
    public record Reply(String clusterId, String status, String availability, long eventsAcked, String serverKey,
                        boolean fullReport, long reportEvery) {
        /** An answer that keeps the node's own interval. */
        public Reply(String clusterId, String status, String availability, long eventsAcked, String serverKey,
                     boolean fullReport) {
            this(clusterId, status, availability, eventsAcked, serverKey, fullReport, 0);
        }

        /** An answer that asks for no full report and keeps the node's own interval. */
        public Reply(String clusterId, String status, String availability, long eventsAcked, String serverKey) {
            this(clusterId, status, availability, eventsAcked, serverKey, false, 0);
        }
    }

    /**
     * What one node needs of the desired state, as of an index.
     *
     * @param index        the version of this view; a watch with this index waits for the next
     * @param clusterId    the cluster id
     * @param services     the services the node runs or holds, and those with published ports
     * @param assignments  the assignments the node runs or holds
     * @param backends     healthy backends on the other nodes: of published ports, and the
     *                     replicas' addresses on managed networks
     * @param subnets      every managed network's subnet on every node, with the node's address
     * @param directory    every service's stable address, networks, ports and policy
     * @param dnsAddress   the address the node serves DNS on to its containers, or null
     * @param credentials  the credentials of the registries of the images the node runs (not of
     *                     those it only routes to), passwords in the clear: the node keeps them in
     *                     memory and uses them for its pulls only
     */
    public record Desired(long index, String clusterId, List<Service> services, List<Assign> assignments,
                          List<Backend> backends, List<Subnet> subnets, List<Entry> directory, String dnsAddress,
                          List<Credential> credentials) {
        /** Copies; null lists become empty. */
        public Desired {
            services = services == null ? List.of() : List.copyOf(services);
            assignments = assignments == null ? List.of() : List.copyOf(assignments);
            backends = backends == null ? List.of() : List.copyOf(backends);
            subnets = subnets == null ? List.of() : List.copyOf(subnets);
            directory = directory == null ? List.of() : List.copyOf(directory);
            credentials = credentials == null ? List.of() : List.copyOf(credentials);
        }

        /** A view without registry credentials. */
        public Desired(long index, String clusterId, List<Service> services, List<Assign> assignments,
                       List<Backend> backends, List<Subnet> subnets, List<Entry> directory, String dnsAddress) {
            this(index, clusterId, services, assignments, backends, subnets, directory, dnsAddress, List.of());
        }

        /** A view without networking. */
        public Desired(long index, String clusterId, List<Service> services, List<Assign> assignments,
                       List<Backend> backends) {
            this(index, clusterId, services, assignments, backends, List.of(), List.of(), null);
        }
    }

    /**
     * A registry's credentials, as a node needs them to pull.
     *
     * @param host     the registry host
     * @param username the user name
     * @param password the password, in the clear (never logged: see {@link #toString()})
     */
    public record Credential(String host, String username, String password) {
        @Override
        public String toString() {
            return "Credential[host=" + host + ", username=" + username + ", password=***]";
        }
    }

    /**
     * A managed network's subnet on one node.
     *
     * @param network the network
     * @param node    the node
     * @param subnet  CIDR form
     * @param address the node's address, which the other nodes route the subnet through
     */
    public record Subnet(String network, String node, String subnet, String address) {
    }

    /**
     * A service as the nodes' DNS and load balancers need it.
     *
     * @param service      the name
     * @param address      its stable address
     * @param networks     the networks its replicas join
     * @param ports        its TCP container ports, served at the stable address
     * @param loadBalancer its policy
     */
    public record Entry(String service, String address, List<String> networks, List<Integer> ports,
                        String loadBalancer) {
        /** Copies; null lists become empty. */
        public Entry {
            networks = networks == null ? List.of() : List.copyOf(networks);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /**
     * A service's desired state.
     *
     * @param name      the name
     * @param specJson  the spec as the store encodes it, without the replica count
     * @param replicas  the replica count
     * @param revision  the revision
     * @param createdAt epoch milliseconds
     * @param updatedAt epoch milliseconds
     * @param previous  the earlier revisions some of its replicas still run (a rollout under
     *                  way), so a node restarts such a replica as it was and probes it with its
     *                  own health check
     */
    public record Service(String name, String specJson, int replicas, long revision, long createdAt,
                          long updatedAt, List<Rev> previous) {
        /** Copies; null becomes empty. */
        public Service {
            previous = previous == null ? List.of() : List.copyOf(previous);
        }
    }

    /**
     * An earlier revision's spec.
     *
     * @param revision the revision
     * @param specJson its spec as the store encodes it
     */
    public record Rev(long revision, String specJson) {
    }

    /**
     * An assignment.
     *
     * @param service      the service
     * @param index        the replica index
     * @param node         the node that runs it
     * @param previousNode the node it moves off, or null
     * @param assignedAt   epoch milliseconds
     * @param revision     the revision the replica runs, 0 for the service's current one
     */
    public record Assign(String service, int index, String node, String previousNode, long assignedAt,
                         long revision) {
    }

    /**
     * A replica row as a node observes it.
     *
     * @param service       the service
     * @param index         the index
     * @param containerId   the container id, or null
     * @param containerName the container name, or null
     * @param revision      the revision it runs
     * @param state         state word
     * @param health        health word
     * @param restartCount  restarts
     * @param lastExitCode  last exit code, or null
     * @param hostPort      first published host port, 0 if none
     * @param message       reason text
     * @param updatedAt     epoch milliseconds
     */
    public record Replica(String service, int index, String containerId, String containerName, long revision,
                          String state, String health, int restartCount, Integer lastExitCode, int hostPort,
                          String message, long updatedAt) {
    }

    /**
     * An event raised on a node.
     *
     * @param id        the node's own id for it (acknowledged by the server)
     * @param timestamp epoch milliseconds
     * @param type      type word
     * @param service   service, or null
     * @param container replica name, or null
     * @param message   text
     */
    public record Event(long id, long timestamp, String type, String service, String container, String message) {
    }

    /**
     * A healthy backend: of a published port ({@code network} null: {@code host} is the node's
     * address, {@code port} the host port), or a replica's address on a managed network
     * ({@code host} its address there, {@code port} 0).
     *
     * @param service       the service
     * @param containerPort the container port, 0 for a network address
     * @param protocol      tcp or udp
     * @param replica       the replica name
     * @param host          the address to connect to
     * @param port          the host port
     * @param network       the managed network of {@code host}, or null
     */
    public record Backend(String service, int containerPort, String protocol, String replica, String host, int port,
                          String network) {
        /** A backend of a published port. */
        public Backend(String service, int containerPort, String protocol, String replica, String host, int port) {
            this(service, containerPort, protocol, replica, host, port, null);
        }
    }

    /**
     * Where nodes reach the server.
     *
     * @param clusterPort the port of its TLS listener for nodes (certified by the cluster CA, on
     *                    the host of the API's URL), or null: nodes use the API's URL itself
     */
    public record Cluster(Integer clusterPort) {
    }

    /**
     * A join's answer.
     *
     * @param node       the node that joined
     * @param credential its own credential, presented instead of the join token from then on
     * @param ca         the cluster CA's certificate (PEM), or null if the server has none
     */
    public record Joined(String node, String credential, String ca) {
        @Override
        public String toString() {
            return "Joined[node=" + node + "]"; // never the credential
        }
    }

    /**
     * Whether a node has an image, as the agent's images route answers.
     *
     * @param present true if the node's runtime has it
     */
    public record ImageCheck(boolean present) {
    }

    /**
     * What a node uses.
     *
     * @param containers          containers of this cluster on the node
     * @param load1               the one-minute load average, -1 if unknown
     * @param memoryAvailableBytes memory available, -1 if unknown
     */
    public record Usage(int containers, double load1, long memoryAvailableBytes) {
    }

    /**
     * What a node measured, as of the report that carries it. Counters are cumulative since the
     * node (or the port, for a load balancer's) started: the server turns them into increments.
     *
     * @param replicas the latest usage sample of each running replica that has one
     * @param probes   health probe results, by service, probe type and result
     * @param ports    the load balancer's counters per published port
     */
    public record Observed(List<ReplicaUsage> replicas, List<ProbeTally> probes, List<PortCount> ports) {
        /** Copies; null lists become empty. */
        public Observed {
            replicas = replicas == null ? List.of() : List.copyOf(replicas);
            probes = probes == null ? List.of() : List.copyOf(probes);
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /**
     * A replica's resource use, from the runtime's stats.
     *
     * @param service          the service
     * @param index            the replica index
     * @param containerId      the container measured
     * @param cpuPercent       CPU use between its last two samples, 100 per busy CPU; null
     *                         after one sample only
     * @param memoryBytes      memory in use
     * @param memoryLimitBytes its limit, -1 if unknown
     * @param ageMillis        how old the sample was when the report was made (the server dates
     *                         it by its own clock: node clocks may differ)
     */
    public record ReplicaUsage(String service, int index, String containerId, Double cpuPercent, long memoryBytes,
                               long memoryLimitBytes, long ageMillis) {
    }

    /**
     * Health probes run on a node since it started.
     *
     * @param service    the service
     * @param type       the probe type ({@code http}, {@code tcp}, {@code exec}, ...)
     * @param result     {@code healthy} or {@code unhealthy}
     * @param count      how many
     * @param nanosTotal how long they took, in all
     */
    public record ProbeTally(String service, String type, String result, long count, long nanosTotal) {
    }

    /**
     * A published port's load balancer counters on a node, since the port was bound there.
     *
     * @param service           the service
     * @param protocol          tcp or udp
     * @param port              the published port
     * @param connectionsTotal  connections accepted
     * @param connectionsActive connections being relayed now
     * @param bytesReceived     bytes read from clients
     * @param bytesSent         bytes sent to clients
     */
    public record PortCount(String service, String protocol, int port, long connectionsTotal, int connectionsActive,
                            long bytesReceived, long bytesSent) {
    }

    /**
     * A notice in a followed log stream (see {@link #FOLLOW_LOGS_PATH}).
     *
     * @param notice what happened, e.g. lines dropped
     */
    public record LogNotice(String notice) {
    }

    /**
     * The mark in a followed log stream after the lines the node had kept.
     *
     * @param caughtUp always true
     */
    public record LogMark(boolean caughtUp) {
    }

    /**
     * @param message a message
     * @return its JSON
     */
    public static byte[] write(Object message) {
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "cannot encode " + message.getClass().getSimpleName(), e);
        }
    }

    /**
     * @param json bytes
     * @param type the message type
     * @param <T>  the type
     * @return the message
     * @throws OrchestratorException {@code INVALID_ARGUMENT} when the bytes are not such a message
     */
    public static <T> T read(byte[] json, Class<T> type) {
        T message;
        try {
            message = MAPPER.readValue(json, type);
        } catch (IOException | RuntimeException e) {
            throw OrchestratorException.invalid("not a valid " + type.getSimpleName() + " message: "
                    + e.getClass().getSimpleName());
        }
        if (message == null) {
            throw OrchestratorException.invalid("not a valid " + type.getSimpleName() + " message: null");
        }
        return message;
    }
}
