package dev.orchestrator.it;

import static dev.orchestrator.it.MultiNodeIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node's container engine stopped for 30 s and started again (docs/reliability.md, "The
 * container engine stops and comes back"), against an engine no other test uses: lab node 1
 * ({@code scripts/lab.sh up 1}), a network namespace with its own dockerd, its agent in the
 * namespace, the server on the host without a node of its own. dockerd is stopped with SIGTERM
 * ({@code lab.sh engine-stop 1}; no live-restore, so the replicas' containers stop with it) and
 * started again as {@code up} starts it ({@code lab.sh engine-start 1}). Prints its figures on a
 * line starting with {@code FAULTS:}. Needs root (namespaces, dockerd).
 */
class EngineFaultsIT {
    private static final String PASSWORD = "engine-fault-it";
    private static final Path LAB = Path.of("..", "scripts", "lab.sh").toAbsolutePath().normalize();
    private static final Path LOGS = Path.of("target", "engine-faults-it");
    private static final String NODE = "lab1";
    private static final String SOCKET = "unix:///run/orch-lab/lab1/docker.sock";
    private static final String SERVICE = "engfault";
    private static final int REPLICAS = 3;
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Duration SEEN_WITHIN = Duration.ofSeconds(10);
    private static final Duration RECOVERED_WITHIN = Duration.ofSeconds(60);
    private static final String LOST = "Docker engine unreachable on " + NODE;
    private static final String BACK = "Docker engine reachable again on " + NODE;
    @TempDir
    static Path work;
    private static final List<NodeProcess> PROCESSES = new ArrayList<>();
    private static Api api;

    @RegisterExtension
    static final TestWatcher DIAGNOSTICS = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            System.out.println("==== " + context.getDisplayName() + " failed: " + cause + "\n" + diagnostics());
        }
    };

    @BeforeAll
    static void startCluster() throws IOException {
        Files.createDirectories(LOGS);
        lab("up", "1");
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        PROCESSES.add(NodeProcess.start("server", LOGS.resolve("server.log"),
                Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD), Pattern.compile("listening on http://\\S+:(\\d+)"),
                Duration.ofSeconds(60), List.of("server", "--port", String.valueOf(port), "--no-local-node",
                        "--data-dir", work.resolve("server").toString(), "--node-timeout", "5s")));
        String local = "http://127.0.0.1:" + port;
        api = new Api(local, "admin", PASSWORD);
        Image.Run t = Image.run(Map.of("ORCHESTRATOR_URL", local, "ORCHESTRATOR_PASSWORD", PASSWORD), "token");
        assertEquals(0, t.status(), t.err());
        // lab.sh exec: the node's network namespace and DOCKER_HOST of its engine.
        PROCESSES.add(NodeProcess.start(List.of(LAB.toString(), "exec", "1"), NODE, LOGS.resolve(NODE + ".log"),
                Map.of("ORCHESTRATOR_AGENT_TOKEN", t.out().strip()), Pattern.compile("joining"),
                Duration.ofSeconds(60), List.of("agent", "--server", "http://10.77.0.1:" + port, "--name", NODE,
                        "--advertise-address", "10.77.0.11", "--data-dir", work.resolve(NODE).toString())));
        await(() -> node().get("status").asText(), "ready"::equals, Duration.ofSeconds(30), NODE + " ready");
    }

    @AfterAll
    static void stopCluster() throws IOException {
        try {
            PROCESSES.reversed().forEach(NodeProcess::close);
        } finally {
            // down removes the containers while the engine answers, then the engine; after a
            // failure while the engine was stopped it removes what is left without it.
            lab("down");
        }
    }

    @Test
    void theEngineStoppedFor30sIsReportedAndEverythingRecoversWithoutDuplicates() throws IOException {
        Api.Response r = api.post("/api/deploy", """
                {"name": "%s", "image": "orchestrator-test/busybox:1", "replicas": %d,
                 "constraints": ["node.name==%s"], "stop_grace_period": "2s",
                 "command": ["sh", "-c", "trap 'exit 0' TERM; touch /tmp/ok; while true; do sleep 1; done"],
                 "health_check": {"type": "exec", "command": ["test", "-f", "/tmp/ok"], "interval": "1s",
                                  "retries": 1}}""".formatted(SERVICE, REPLICAS, NODE));
        assertEquals(201, r.status(), r.body());
        await(EngineFaultsIT::recovered, m -> m == null, Duration.ofSeconds(45),
                REPLICAS + " healthy replicas on " + NODE);
        Set<String> before = engineIds();

        String since = Instant.now().toString();
        long stopped = System.nanoTime();
        // The API is watched while dockerd shuts down: dockerd first stops the containers, still
        // answering, then closes its socket and exits; the node notices only the latter.
        Process stopping = labStart("engine-stop", "1");
        await(EngineFaultsIT::outageSeen, m -> m == null, SEEN_WITHIN, "the outage in the API");
        double seen = seconds(stopped);
        String stop = labFinish(stopping, "engine-stop 1"); // says when dockerd exited
        int samples = holdOutage(stopped);

        long started = System.nanoTime();
        String start = lab("engine-start", "1");
        double engineUp = seconds(started);
        await(EngineFaultsIT::recovered, m -> m == null, RECOVERED_WITHIN, "recovery after the engine's start");
        double healthy = seconds(started);
        assertNothingLate();

        Set<String> after = engineIds();
        Set<String> kept = new TreeSet<>(before);
        kept.retainAll(after);
        printEvents(since);
        System.out.println("EngineFaultsIT: containers before the stop " + before + ", after the recovery " + after);
        System.out.printf("FAULTS: engine stopped %d s: node ready, engine unreachable, event and %d/%d unknown in"
                        + " the API %.1f s after the SIGTERM (bound %d s); %s; %d samples during the outage, none"
                        + " counting a replica running; engine answering %.1f s after its start (%s); %d/%d running"
                        + " and healthy, engine ok, event, exactly %d containers on it %.1f s after its start (bound"
                        + " %d s); old containers restarted: %d, replaced by new ones: %d%n",
                OUTAGE.toSeconds(), REPLICAS, REPLICAS, seen, SEEN_WITHIN.toSeconds(), lastLine(stop), samples,
                engineUp, lastLine(start), REPLICAS, REPLICAS, REPLICAS, healthy, RECOVERED_WITHIN.toSeconds(),
                kept.size(), REPLICAS - kept.size());
    }

    /**
     * Still recovered 3 s later (no duplicate from a pass that had not yet seen the engine's
     * containers), and nothing of the service on the host's engine.
     */
    private static void assertNothingLate() {
        FaultCluster.pause(3000);
        String late = recovered();
        assertTrue(late == null, () -> "3 s later: " + late);
        assertEquals(0, hostEngineContainers(), "containers of " + SERVICE + " on the host's engine");
    }

    /** What the cluster said since the stop, for the figures in docs/reliability.md. */
    private static void printEvents(String since) {
        for (JsonNode e : api.get("/api/events?limit=200&since=" + since).json()) {
            System.out.println("EngineFaultsIT: event " + e.get("timestamp").asText() + " "
                    + e.get("message").asText());
        }
    }

    /**
     * Polls until {@link #OUTAGE} has passed since the stop: the API must keep saying the engine
     * is unreachable and must never count a replica running or healthy.
     *
     * @return how many samples it took
     */
    private static int holdOutage(long stopped) {
        int samples = 0;
        while (System.nanoTime() - stopped < OUTAGE.toNanos()) {
            String m = outageSeen();
            assertTrue(m == null, () -> String.format("%.1f s into the outage: %s", seconds(stopped), m));
            samples++;
            FaultCluster.pause(500);
        }
        return samples;
    }

    /**
     * @return null when the node (still {@code ready}: its agent reports on), its events and the
     *         service all show the engine's outage; else what does not
     */
    private static String outageSeen() {
        JsonNode node = node();
        String state = node.get("status").asText() + ", engine " + node.get("engine").asText();
        JsonNode svc = service();
        List<String> states = StreamSupport.stream(svc.get("containers").spliterator(), false)
                .map(c -> c.get("status").asText() + "/" + c.get("health").asText()).toList();
        if (!state.startsWith("ready, engine unreachable") || !events().contains(LOST)
                || svc.get("running").asInt() != 0 || svc.get("healthy").asInt() != 0 || states.size() != REPLICAS
                || !states.stream().allMatch(s -> s.startsWith("unknown/"))) {
            return "node " + state + "; event '" + LOST + "' " + (events().contains(LOST) ? "" : "not ")
                    + "seen; service running " + svc.get("running") + ", healthy " + svc.get("healthy")
                    + ", replicas " + states;
        }
        return null;
    }

    /**
     * @return null when the API shows {@link #REPLICAS} running, healthy replicas, the engine
     *         {@code ok} and (once it was lost) back, and the engine holds exactly those
     *         containers (any state), one per replica index; else what differs
     */
    private static String recovered() {
        String engine = node().get("engine").asText();
        JsonNode svc = service();
        Map<String, String> apiView = new TreeMap<>();
        for (JsonNode c : svc.get("containers")) {
            if (c.get("status").asText().equals("running") && c.get("health").asText().equals("healthy")) {
                apiView.put(c.get("id").asText(), c.get("name").asText());
            }
        }
        Map<String, String> engineView = new TreeMap<>();
        List<String> all = docker("ps", "-a", "--filter", "label=dev.orchestrator.service=" + SERVICE, "--format",
                "{{.ID}} {{.State}} {{.Label \"dev.orchestrator.replica\"}}").lines().toList();
        for (String line : all) {
            String[] f = line.split(" ");
            if (f.length == 3 && f[1].equals("running")) {
                engineView.put(f[0], SERVICE + "-" + f[2]);
            }
        }
        String events = events();
        boolean back = !events.contains(LOST) || events.contains(BACK);
        if (!engine.equals("ok") || !back || svc.get("running").asInt() != REPLICAS
                || svc.get("healthy").asInt() != REPLICAS || all.size() != REPLICAS || !engineView.equals(apiView)
                || Set.copyOf(engineView.values()).size() != REPLICAS) {
            return "engine " + engine + "; event '" + BACK + "' " + (back ? "" : "not ") + "seen; API healthy: "
                    + apiView + "; engine (all states): " + all;
        }
        return null;
    }

    private static Set<String> engineIds() {
        return new TreeSet<>(docker("ps", "-aq", "--filter", "label=dev.orchestrator.service=" + SERVICE).lines()
                .toList());
    }

    private static long hostEngineContainers() {
        return run(List.of("docker", "-H", "unix:///var/run/docker.sock", "ps", "-aq", "--filter",
                "label=dev.orchestrator.service=" + SERVICE)).lines().count();
    }

    private static JsonNode node() {
        for (JsonNode n : api.get("/api/nodes").json()) {
            if (n.get("id").asText().equals(NODE)) {
                return n;
            }
        }
        throw new AssertionError("no node " + NODE + " in " + api.get("/api/nodes").body());
    }

    private static JsonNode service() {
        Api.Response r = api.get("/api/services/" + SERVICE);
        assertEquals(200, r.status(), r.body());
        return r.json();
    }

    private static String events() {
        return api.get("/api/events?type=node&node=" + NODE).body();
    }

    private static String diagnostics() {
        var sb = new StringBuilder();
        PROCESSES.forEach(p -> sb.append(p.tail(40)));
        for (String path : List.of("/api/nodes", "/api/services/" + SERVICE, "/api/events?limit=40")) {
            try {
                sb.append("---- GET ").append(path).append(":\n  ").append(api.get(path).body()).append('\n');
            } catch (RuntimeException e) {
                sb.append("---- GET ").append(path).append(" failed: ").append(e).append('\n');
            }
        }
        sb.append("---- engine: ").append(docker("ps", "-a"));
        return sb.append("---- full logs in ").append(LOGS.toAbsolutePath()).append('\n').toString();
    }

    private static String lastLine(String out) {
        List<String> lines = out.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.getLast().replaceFirst("^\\[lab\\.sh] ", "");
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** The docker CLI against lab node 1's engine; stdout and stderr together. */
    private static String docker(String... args) {
        var cmd = new ArrayList<>(List.of("docker", "-H", SOCKET));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs lab.sh, appending its output to lab.log; fails when it does. */
    private static String lab(String... args) throws IOException {
        return labFinish(labStart(args), String.join(" ", args));
    }

    private static Process labStart(String... args) throws IOException {
        var cmd = new ArrayList<>(List.of(LAB.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        return p;
    }

    /** Waits for a lab.sh started by {@link #labStart}; its output goes to lab.log; fails when it does. */
    private static String labFinish(Process p, String what) throws IOException {
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = waitFor(p);
        Files.writeString(LOGS.resolve("lab.log"), "---- lab.sh " + what + " -> " + status + "\n" + out,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertEquals(0, status, () -> "lab.sh " + what + ":\n" + out);
        return out;
    }

    /** Runs a command (30 s at most); stdout and stderr together. */
    private static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            waitFor(p);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int waitFor(Process p) {
        try {
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("still running after 180 s: " + p.info().commandLine().orElse("?"));
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
