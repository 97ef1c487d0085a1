package dev.orchestrator.it;

import static dev.orchestrator.it.MultiNodeIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Process faults against the built image and the machine's Docker engine (docs/reliability.md):
 * the server SIGKILLed in the middle of a 20-replica deploy ({@code -Dfaults.rounds}, default 3;
 * {@code bench/faults.sh} runs 10), an agent SIGKILLed, an agent frozen with SIGSTOP past the
 * node timeout. Each test prints its figures on a line starting with {@code FAULTS:}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProcessFaultsIT {
    private static final int ROUNDS = Integer.getInteger("faults.rounds", 3);
    private static final int REPLICAS = 20;
    private static final Path LOGS = Path.of("target", "process-faults-it");
    @TempDir
    static Path work;
    private static FaultCluster cluster;

    @RegisterExtension
    static final TestWatcher DIAGNOSTICS = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("==== " + context.getDisplayName() + " failed: " + cause + "\n"
                    + (cluster == null ? "" : cluster.diagnostics()));
        }
    };

    @BeforeAll
    static void startCluster() throws IOException {
        Files.createDirectories(LOGS);
        cluster = FaultCluster.start(work, LOGS, work.resolve("server"));
        cluster.startAgent();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void theServerKilledMidDeployLosesAndDuplicatesNoReplica() throws IOException {
        for (int round = 1; round <= ROUNDS; round++) {
            killRound(round);
        }
    }

    private void killRound(int round) throws IOException {
        String name = "fltkill" + round;
        // Kill at a different point of the deploy each round: once 2 to 11 containers run. Running,
        // not created: the nodes create all 20 within one poll of 200 ms, and start them slower.
        int killAt = 2 + (round * 3) % 10;
        cluster.deploy("""
                {"name": "%s", "image": "orchestrator-test/web:1", "replicas": %d, "resources": {"memory_mb": 16}}"""
                .formatted(name, REPLICAS));
        int atKill = runningAtLeast(name, killAt);
        cluster.server().kill();
        long killed = System.nanoTime();
        int afterKill = cluster.containers(name, false).size();
        cluster.startServer();
        double up = seconds(killed);
        await(() -> cluster.mismatch(name, REPLICAS), m -> m == null, Duration.ofSeconds(90),
                "exactly " + REPLICAS + " containers of " + name + " running, one per replica, as the API says");
        double converged = seconds(killed);
        // Nothing late: no duplicate made by a pass that had not seen the adoption yet.
        FaultCluster.pause(3000);
        String late = cluster.mismatch(name, REPLICAS);
        assertTrue(late == null, () -> "3 s later: " + late);
        assertTrue(atKill < REPLICAS, "the kill came in the middle of the deploy: " + atKill + " containers");
        System.out.printf("FAULTS: server SIGKILL round %d: %d containers running at the kill (%d just after), server up"
                + " again %.1f s after it, %d/%d running and matching the API %.1f s after it, 0 lost, 0 duplicate%n",
                round, atKill, afterKill, up, REPLICAS, REPLICAS, converged);
        cluster.delete(name);
    }

    @Test
    @Order(2)
    void aKilledAgentsReplicasMoveAndItsRestartRemovesTheStaleCopies() throws IOException {
        String name = "fltagent";
        cluster.deploy(web(name, 4, FaultCluster.publishablePort()));
        await(() -> perNode(cluster.service(name)), m -> m.equals(Map.of("flt-1", 2L, "flt-2", 2L)),
                Duration.ofSeconds(45), "4 healthy replicas of " + name + ", 2 per node");
        cluster.agent().kill();
        long killed = System.nanoTime();
        cluster.awaitNode("flt-2", "down", Duration.ofSeconds(15));
        double down = seconds(killed);
        await(() -> perNode(cluster.service(name)), m -> m.equals(Map.of("flt-1", 4L)), Duration.ofSeconds(45),
                "4 healthy replicas of " + name + " on flt-1");
        double moved = seconds(killed);
        // The engine runs on: a dead agent ends none of its containers, so two copies exist now.
        assertEquals(2, onNode(name, "flt-2").size(), () -> "flt-2's old containers: "
                + FaultCluster.describe(cluster.containers(name, true)));

        long restarted = System.nanoTime();
        cluster.startAgent();
        await(() -> cluster.mismatch(name, 4), m -> m == null, Duration.ofSeconds(30),
                "flt-2's stale copies removed, 4 containers as the API says");
        System.out.printf("FAULTS: agent SIGKILL: node down %.1f s after the kill (timeout %d s), 4/4 healthy on"
                + " flt-1 %.1f s after it; restarted agent removed its 2 stale copies %.1f s after its start%n",
                down, FaultCluster.NODE_TIMEOUT.toSeconds(), moved, seconds(restarted));
        cluster.delete(name);
    }

    @Test
    @Order(3)
    void aFrozenAgentResumesWithoutASecondCopyServing() throws Exception {
        String name = "fltfrozen";
        int port = FaultCluster.publishablePort();
        cluster.deploy(web(name, 2, port));
        await(() -> perNode(cluster.service(name)), m -> m.equals(Map.of("flt-1", 1L, "flt-2", 1L)),
                Duration.ofSeconds(45), "2 healthy replicas of " + name + ", 1 per node");
        Set<String> stale = onNode(name, "flt-2").stream().map(c -> c.getId().substring(0, 12))
                .collect(Collectors.toSet());

        cluster.agent().signal("STOP");
        long frozen = System.nanoTime();
        try {
            cluster.awaitNode("flt-2", "down", Duration.ofSeconds(10));
            double down = seconds(frozen);
            await(() -> perNode(cluster.service(name)), m -> m.equals(Map.of("flt-1", 2L)), Duration.ofSeconds(30),
                    "2 healthy replicas of " + name + " on flt-1 while flt-2 is frozen");
            double moved = seconds(frozen);
            FaultCluster.pause(Math.max(0, 10_000 - (System.nanoTime() - frozen) / 1_000_000));
            cluster.agent().signal("CONT");
            long resumed = System.nanoTime();
            var probe = new IngressProbe(List.of(FaultCluster.address("flt-1"), FaultCluster.address("flt-2")), port);
            await(() -> probe.sample(stale) && cluster.mismatch(name, 2) == null, b -> b, Duration.ofSeconds(30),
                    "flt-2's stale copy gone after SIGCONT, 2 containers as the API says");
            double converged = seconds(resumed);
            Map<String, Integer> lateAnswers = probe.staleAnswers();
            int converging = probe.requests();
            probe.reset();
            for (int i = 0; i < 10; i++) {
                probe.sample(stale);
            }
            assertEquals(Map.of(), probe.staleAnswers(), "no answer from the stale copy after convergence");
            assertEquals(0, lateAnswers.getOrDefault(FaultCluster.address("flt-1"), 0),
                    () -> "flt-1's balancer never routed to flt-2's stale copy after the resume: " + lateAnswers);
            System.out.printf("FAULTS: agent SIGSTOP 10 s: node down %.1f s after the stop, 2/2 on flt-1 %.1f s"
                    + " after it; after SIGCONT converged in %.1f s; answers from the stale copy after the resume"
                    + " by ingress: %s (of %d requests until convergence)%n", down, moved, converged, lateAnswers,
                    converging);
        } finally {
            cluster.agent().signal("CONT"); // never leave it frozen for the next test or the cleanup
        }
        cluster.delete(name);
    }

    /** Polls every 20 ms (at most 60 s) until that many containers of the service run; returns how many do. */
    private static int runningAtLeast(String service, int count) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            int n = cluster.containers(service, false).size();
            if (n >= count) {
                return n;
            }
            FaultCluster.pause(20);
        }
        throw new AssertionError("fewer than " + count + " containers of " + service + " running after 60 s: "
                + FaultCluster.describe(cluster.containers(service, true)));
    }

    private static String web(String name, int replicas, int port) {
        return """
                {"name": "%s", "image": "orchestrator-test/web:1", "replicas": %d,
                 "ports": [{"container_port": 8080, "host_port": %d}],
                 "health_check": {"type": "http", "endpoint": "http://localhost:8080/health",
                                  "interval": "1s", "timeout": "1s", "retries": 2},
                 "resources": {"memory_mb": 16}}""".formatted(name, replicas, port);
    }

    /** Healthy running replicas per node, by the API. */
    private static Map<String, Long> perNode(JsonNode svc) {
        return FaultCluster.rows(svc, "running").stream().filter(c -> c.get("health").asText().equals("healthy"))
                .collect(Collectors.groupingBy(c -> c.get("node_id").asText(), TreeMap::new, Collectors.counting()));
    }

    private static List<Container> onNode(String service, String node) {
        return cluster.containers(service, false).stream()
                .filter(c -> node.equals(c.getLabels().get("dev.orchestrator.node"))).toList();
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}
