package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service networking across real hosts: two lab nodes ({@code scripts/lab.sh}), each a network
 * namespace with its own Docker engine and agent, joined by a switch; the server on the host
 * without a node of its own. From inside containers on one node: services on the other node by
 * name, the answers following scaling and a node's death, and isolation between networks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostIT {
    private static final String PASSWORD = "it-password";
    private static final Path LAB = Path.of("..", "scripts", "lab.sh").toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target", "multihost-it");
    private static final Pattern REPLICA_ADDRESS = Pattern.compile("Address:\\s*(10\\.210\\.[0-9.]+)");
    private static final Map<String, NodeProcess> agents = new ConcurrentHashMap<>();
    @TempDir
    static Path work;
    private static NodeProcess server;
    private static Api api;

    @BeforeAll
    static void startLab() throws Exception {
        Files.createDirectories(LOGS);
        lab(LOGS.resolve("lab-up.log"), "up", "2");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        server = NodeProcess.start("server", LOGS.resolve("server.log"), Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD),
                Pattern.compile("listening on http://\\S+:(\\d+)"), Duration.ofSeconds(60),
                List.of("server", "--port", String.valueOf(port), "--no-local-node",
                        "--data-dir", work.resolve("server").toString(), "--node-timeout", "5s"));
        String local = "http://127.0.0.1:" + port;
        api = new Api(local, "admin", PASSWORD);
        Image.Run t = Image.run(Map.of("ORCHESTRATOR_URL", local, "ORCHESTRATOR_PASSWORD", PASSWORD), "token");
        assertEquals(0, t.status(), t.err());
        for (int k = 1; k <= 2; k++) {
            String name = "lab" + k;
            agents.put(name, NodeProcess.start(List.of(LAB.toString(), "exec", String.valueOf(k)), name,
                    LOGS.resolve(name + ".log"), Map.of("ORCHESTRATOR_AGENT_TOKEN", t.out().strip()),
                    Pattern.compile("joining"), Duration.ofSeconds(60),
                    List.of("agent", "--server", "http://10.77.0.1:" + port, "--name", name,
                            "--advertise-address", "10.77.0.1" + k, "--data-dir", work.resolve(name).toString())));
        }
        await(() -> api.get("/api/nodes").json(), ns -> ns.size() == 2 && StreamSupport.stream(ns.spliterator(), false)
                .allMatch(n -> n.get("status").asText().equals("ready")), Duration.ofSeconds(30), "2 ready nodes");
    }

    @AfterAll
    static void stopLab() throws Exception {
        try {
            if (api != null) {
                for (JsonNode s : api.get("/api/services").json()) {
                    api.delete("/api/services/" + s.get("name").asText());
                }
            }
            agents.values().forEach(NodeProcess::close);
            if (server != null) {
                server.close();
            }
        } finally {
            lab(LOGS.resolve("lab-down.log"), "down");
        }
    }

    @Test
    @Order(1)
    void aServiceOnAnotherNodeIsReachedByNameAndItsAnswersFollowScaling() {
        deploy("""
                {"name": "web", "image": "orchestrator-test/web:1", "replicas": 2, "ports": [{"container_port": 8080}],
                 "constraints": ["node.name==lab2"],
                 "health_check": {"type": "http", "endpoint": "http://localhost:8080/health",
                                  "interval": "1s", "timeout": "1s", "retries": 2}}""");
        deploy("""
                {"name": "client", "image": "orchestrator-test/busybox:1", "constraints": ["node.name==lab1"],
                 "command": ["sleep", "3600"]}""");
        await(() -> api.get("/api/services/web").json(), s -> s.get("healthy").asInt() == 2, Duration.ofSeconds(45),
                "web 2/2 healthy on lab2");
        String client = running(1, "client");

        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            String out = await(() -> sh(1, client, "wget", "-O", "-", "http://web:8080/cgi-bin/hostname"),
                    o -> o.contains("written to stdout"), Duration.ofSeconds(15), "web from lab1");
            out.lines().filter(l -> l.matches("[0-9a-f]{12}")).forEach(hosts::add);
        }
        assertEquals(2, hosts.size(), "both replicas on lab2 served lab1's client: " + hosts);
        assertEquals(2, tasks(1, client, "web").size());

        assertEquals(200, api.post("/api/services/web/scale", "{\"replicas\": 1}").status());
        await(() -> tasks(1, client, "web"), t -> t.size() == 1, Duration.ofSeconds(20), "lab1's answers follow 2 -> 1");
        assertEquals(200, api.post("/api/services/web/scale", "{\"replicas\": 2}").status());
        await(() -> tasks(1, client, "web"), t -> t.size() == 2, Duration.ofSeconds(30), "and 1 -> 2");
    }

    @Test
    @Order(2)
    void servicesThatShareNoNetworkCannotReachEachOtherAcrossNodes() {
        deploy("""
                {"name": "secret", "image": "orchestrator-test/web:1", "networks": ["backend"],
                 "ports": [{"container_port": 8080}], "constraints": ["node.name==lab2"]}""");
        deploy("""
                {"name": "inside", "image": "orchestrator-test/busybox:1", "networks": ["backend"],
                 "constraints": ["node.name==lab1"], "command": ["sleep", "3600"]}""");
        String inside = running(1, "inside");
        String outside = running(1, "client");
        String secret = running(2, "secret");
        String secretIp = sh(2, secret, "hostname", "-i").strip();

        await(() -> sh(1, inside, "wget", "-O", "-", "http://secret:8080/cgi-bin/hostname"),
                o -> o.contains("written to stdout"), Duration.ofSeconds(20), "same network, other node: reachable");
        assertTrue(sh(1, inside, "timeout", "3", "wget", "-O", "-", "http://" + secretIp + ":8080/")
                .contains("written to stdout"), "same network: the replica's own address too");
        assertTrue(!sh(1, outside, "timeout", "3", "wget", "-O", "-", "http://secret:8080/").contains("written"),
                "other network: refused by name");
        assertTrue(!sh(1, outside, "timeout", "3", "wget", "-O", "-", "http://" + secretIp + ":8080/")
                .contains("written"), "other network: unreachable by address");
    }

    @Test
    @Order(3)
    void aNodesDeathRemovesItsReplicasFromTheAnswers() {
        String client = running(1, "client");
        assertEquals(2, tasks(1, client, "web").size());
        agents.get("lab2").kill();
        await(() -> tasks(1, client, "web"), Set::isEmpty, Duration.ofSeconds(20),
                "lab2's replicas gone from lab1's answers");
    }

    private static void deploy(String json) {
        Api.Response r = api.post("/api/deploy", json);
        assertEquals(201, r.status(), r.body());
    }

    private static String running(int node, String service) {
        return await(() -> docker(node, "ps", "-q", "--filter", "label=dev.orchestrator.service=" + service).strip(),
                id -> !id.isEmpty(), Duration.ofSeconds(45), service + " running on lab" + node).lines().findFirst()
                .orElseThrow();
    }

    private static Set<String> tasks(int node, String container, String service) {
        Matcher m = REPLICA_ADDRESS.matcher(sh(node, container, "nslookup", "tasks." + service + ".internal"));
        var out = new HashSet<String>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static String sh(int node, String container, String... argv) {
        var args = new ArrayList<>(List.of("exec", container));
        args.addAll(List.of(argv));
        return docker(node, args.toArray(String[]::new));
    }

    /** The docker CLI against a lab node's engine; stdout and stderr together. */
    private static String docker(int node, String... args) {
        var cmd = new ArrayList<>(List.of("docker", "-H", "unix:///run/orch-lab/lab" + node + "/docker.sock"));
        cmd.addAll(List.of(args));
        return run(cmd, Duration.ofSeconds(30));
    }

    private static void lab(Path log, String... args) throws IOException {
        var cmd = new ArrayList<>(List.of(LAB.toString()));
        cmd.addAll(List.of(args));
        Files.writeString(log, run(cmd, Duration.ofSeconds(180)));
    }

    private static String run(List<String> cmd, Duration timeout) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
