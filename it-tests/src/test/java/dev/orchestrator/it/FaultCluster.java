package dev.orchestrator.it;

import static dev.orchestrator.it.MultiNodeIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.testcontainers.DockerClientFactory;

/**
 * The fault suite's cluster on the machine's Docker engine: a server of the built image with its
 * own node {@code flt-1} (127.0.0.71) on a fixed port, so that a restarted server is where its
 * agents look, and optionally an agent {@code flt-2} (127.0.0.72). Node names, addresses and
 * service names (prefix {@code flt}) are the suite's own: other tests share the engine, and
 * every container this class removes carries one of its node names.
 */
final class FaultCluster implements AutoCloseable {
    static final String PASSWORD = "fault-password";
    static final List<String> NODES = List.of("flt-1", "flt-2");
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(5);
    private static final Pattern SERVER_READY = Pattern.compile("orchestrator server listening on http://[^:]+:(\\d+)");

    final DockerClient docker = DockerClientFactory.instance().client();
    private final Path work;
    private final Path logs;
    private final Path dataDir;
    private final int port;
    private final List<NodeProcess> started = new ArrayList<>();
    private NodeProcess server;
    private NodeProcess agent;
    private String token;
    final Api api;

    private FaultCluster(Path work, Path logs, Path dataDir) throws IOException {
        this.work = work;
        this.logs = logs;
        this.dataDir = dataDir;
        try (var probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.port = probe.getLocalPort();
        }
        this.api = new Api(url(), "admin", PASSWORD);
    }

    /**
     * Removes what an aborted earlier run left on the engine, then starts the server.
     *
     * @param work    the test's temporary directory (agents' data, plugins)
     * @param logs    where every process's output goes
     * @param dataDir the server's data directory
     * @return the running cluster, one ready node
     */
    static FaultCluster start(Path work, Path logs, Path dataDir) throws IOException {
        var c = new FaultCluster(work, logs, dataDir);
        c.removeContainers();
        c.startServer();
        return c;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    Path dataDir() {
        return dataDir;
    }

    static String address(String node) {
        return "127.0.0.7" + (NODES.indexOf(node) + 1);
    }

    NodeProcess server() {
        return server;
    }

    NodeProcess agent() {
        return agent;
    }

    void startServer() throws IOException {
        server = NodeProcess.start("server", logs.resolve("server.log"), Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD),
                SERVER_READY, Duration.ofSeconds(60), List.of("server", "--port", String.valueOf(port), "--bind",
                        "127.0.0.1", "--data-dir", dataDir.toString(), "--plugins-dir",
                        work.resolve("plugins").toString(), "--node-timeout", NODE_TIMEOUT.toSeconds() + "s",
                        "--node-name", "flt-1", "--advertise-address", address("flt-1"), "--ingress-address",
                        address("flt-1"), "--cpus", "4", "--memory", "4g"));
        started.add(server);
    }

    /** Starts (or restarts) agent {@code flt-2} and waits until the server shows it ready. */
    void startAgent() throws IOException {
        if (token == null) {
            Image.Run t = Image.run(Map.of("ORCHESTRATOR_URL", url(), "ORCHESTRATOR_PASSWORD", PASSWORD), "token");
            assertEquals(0, t.status(), () -> "orchestrator token: " + t.out() + t.err());
            token = t.out().strip();
        }
        agent = NodeProcess.start("flt-2", logs.resolve("flt-2.log"), Map.of("ORCHESTRATOR_AGENT_TOKEN", token),
                Pattern.compile("orchestrator agent flt-2 .* joining"), Duration.ofSeconds(60),
                List.of("agent", "--server", url(), "--name", "flt-2", "--advertise-address", address("flt-2"),
                        "--port", "7947", "--ingress-address", address("flt-2"), "--data-dir",
                        work.resolve("agent-flt-2").toString(), "--plugins-dir", work.resolve("plugins").toString(),
                        "--cpus", "4", "--memory", "4g"));
        started.add(agent);
        awaitNode("flt-2", "ready", Duration.ofSeconds(30));
    }

    JsonNode awaitNode(String name, String status, Duration timeout) {
        return await(() -> node(name), n -> n.get("status").asText().equals(status), timeout,
                name + " " + status);
    }

    JsonNode node(String name) {
        for (JsonNode n : api.get("/api/nodes").json()) {
            if (n.get("id").asText().equals(name)) {
                return n;
            }
        }
        throw new AssertionError("no node " + name + " in " + api.get("/api/nodes").body());
    }

    JsonNode service(String name) {
        Api.Response r = api.get("/api/services/" + name);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    void deploy(String json) {
        Api.Response r = api.post("/api/deploy", json);
        assertEquals(201, r.status(), r.body());
    }

    /** Deletes the service and waits until no container of it is left on the engine. */
    void delete(String service) {
        assertEquals(200, api.delete("/api/services/" + service).status());
        await(() -> containers(service, true).isEmpty(), Duration.ofSeconds(60), service + "'s containers removed");
    }

    static List<JsonNode> rows(JsonNode svc, String status) {
        return StreamSupport.stream(svc.get("containers").spliterator(), false)
                .filter(c -> c.get("status").asText().equals(status)).toList();
    }

    /**
     * @param service a service name
     * @param all     also the containers that do not run
     * @return its containers on this cluster's nodes
     */
    List<Container> containers(String service, boolean all) {
        return docker.listContainersCmd().withShowAll(all).withLabelFilter(Map.of("dev.orchestrator.service", service))
                .exec().stream().filter(c -> NODES.contains(c.getLabels().get("dev.orchestrator.node"))).toList();
    }

    /**
     * @return null when the engine holds exactly {@code replicas} containers of the service, all
     *         running, one per replica index, and the API lists exactly those on the same nodes;
     *         else what differs
     */
    String mismatch(String service, int replicas) {
        List<Container> all = containers(service, true);
        JsonNode svc = service(service);
        Map<String, String> engine = new TreeMap<>();
        Set<String> indexes = new HashSet<>();
        for (Container c : all) {
            if (c.getState().equals("running")) {
                engine.put(c.getId().substring(0, 12), c.getLabels().get("dev.orchestrator.node"));
                indexes.add(c.getLabels().get("dev.orchestrator.replica"));
            }
        }
        Map<String, String> apiView = new TreeMap<>();
        for (JsonNode c : rows(svc, "running")) {
            apiView.put(c.get("id").asText(), c.get("node_id").asText());
        }
        if (all.size() != replicas || engine.size() != replicas || indexes.size() != replicas
                || !engine.equals(apiView) || svc.get("containers").size() != replicas) {
            return "want " + replicas + " replicas; engine (all states): " + describe(all) + "; API running: "
                    + apiView + "; API rows: " + svc.get("containers").size();
        }
        return null;
    }

    static String describe(List<Container> cs) {
        return cs.stream().map(c -> c.getId().substring(0, 12) + "[" + c.getLabels().get("dev.orchestrator.service")
                + "-" + c.getLabels().get("dev.orchestrator.replica") + " on " + c.getLabels().get("dev.orchestrator.node")
                + ", " + c.getState() + "]").collect(Collectors.joining(", ", cs.size() + ": ", ""));
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return a port free on both nodes' ingress addresses */
    static int publishablePort() throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int p;
            try (var s = new ServerSocket(0, 1, InetAddress.getByName(address("flt-1")))) {
                p = s.getLocalPort();
            }
            try (var s = new ServerSocket(p, 1, InetAddress.getByName(address("flt-2")))) {
                return s.getLocalPort();
            } catch (IOException e) {
                // taken there: try another
            }
        }
        throw new IllegalStateException("no port free on both ingress addresses");
    }

    /** The processes' last lines, the API's view and the engine's, for a failure message. Never throws. */
    String diagnostics() {
        var sb = new StringBuilder();
        for (NodeProcess p : List.of(server, agent == null ? server : agent)) {
            sb.append(p.tail(40));
        }
        for (String path : List.of("/api/nodes", "/api/services", "/api/events?limit=40")) {
            try {
                Api.Response r = api.get(path);
                sb.append("---- GET ").append(path).append(" -> ").append(r.status()).append("\n  ").append(r.body())
                        .append('\n');
            } catch (RuntimeException | AssertionError e) {
                sb.append("---- GET ").append(path).append(" failed: ").append(e).append('\n');
            }
        }
        try {
            var cs = docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of("dev.orchestrator.node"))
                    .exec().stream().filter(c -> NODES.contains(c.getLabels().get("dev.orchestrator.node"))).toList();
            sb.append("---- containers: ").append(describe(cs)).append('\n');
        } catch (RuntimeException e) {
            sb.append("---- docker failed: ").append(e).append('\n');
        }
        return sb.append("---- full logs in ").append(logs.toAbsolutePath()).append('\n').toString();
    }

    /** Every container on this suite's nodes, whoever made it (earlier aborted runs too). */
    private void removeContainers() {
        for (Container c : docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of("dev.orchestrator.node"))
                .exec()) {
            if (NODES.contains(c.getLabels().get("dev.orchestrator.node"))) {
                try {
                    docker.removeContainerCmd(c.getId()).withForce(true).exec();
                } catch (NotFoundException e) {
                    // gone meanwhile
                }
            }
        }
    }

    /** Deletes every service, stops the processes, then removes whatever container is left. */
    @Override
    public void close() {
        try {
            for (JsonNode s : api.get("/api/services").json()) {
                api.delete("/api/services/" + s.get("name").asText());
            }
        } catch (RuntimeException | AssertionError e) {
            System.out.println("==== FaultCluster: services not deleted: " + e);
        } finally {
            started.forEach(NodeProcess::close);
            removeContainers();
        }
    }
}
