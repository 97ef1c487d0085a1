package dev.orchestrator.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.api.spi.ExecResult;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PortBinding;
import dev.orchestrator.api.spi.RuntimeDriverFactory;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.api.spi.RuntimeInfo;
import dev.orchestrator.testkit.QuietContext;
import dev.orchestrator.testkit.RuntimeContract;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker driver against a real engine: the {@link RuntimeContract} every driver passes,
 * then what is particular to Docker. Needs scripts/docker-up.sh and scripts/test-images.sh;
 * fails (does not skip) without them. Never pulls.
 */
class DockerRuntimeIT extends RuntimeContract {
    private static final String WEB = "orchestrator-test/web:1";
    private static final String BUSYBOX = "orchestrator-test/busybox:1";
    private static final long MEMORY = 64L << 20;
    private static final String RUN = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private static final String PREFIX = "orch-it-" + RUN;

    private static ContainerRuntime runtime;
    private static DockerClient docker;

    private final List<String> created = new ArrayList<>();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    @BeforeAll
    static void connect() {
        RuntimeDriverFactory factory = ServiceLoader.load(RuntimeDriverFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("docker"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("ServiceLoader found no RuntimeDriverFactory named 'docker'"));
        assertEquals(100, factory.weight());
        runtime = factory.create(PluginConfig.EMPTY, QuietContext.create());
        try {
            runtime.info();
        } catch (OrchestratorException e) {
            fail("Docker is not reachable (" + e.getMessage() + "): run scripts/docker-up.sh first", e);
        }
        for (String image : List.of(WEB, BUSYBOX)) {
            assertTrue(runtime.imagePresent(image), image + " is missing: run scripts/test-images.sh first");
        }
        docker = rawClient();
    }

    /** Runs even when a test failed; tries every container before reporting a failure. */
    @AfterEach
    void cleanUp() throws Exception {
        Exception first = null;
        for (AutoCloseable s : subscriptions) {
            s.close();
        }
        for (String id : created) {
            try {
                runtime.remove(id, true);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (runtime != null) {
            runtime.close();
            runtime.close(); // idempotent
        }
        if (docker != null) {
            docker.close();
        }
    }

    @Override
    protected ContainerRuntime runtime() {
        return runtime;
    }

    /** busybox: prints the ready line, then sleeps (as PID 1 it ignores SIGTERM: stop kills it). */
    @Override
    protected ContainerRequest longRunning(String name, Map<String, String> labels) {
        return new ContainerRequest(name, BUSYBOX, labels, Map.of(),
                List.of("sh", "-c", "echo " + READY_LINE + "; exec sleep 3600"), List.of(port()), MEMORY, 0, null,
                List.of());
    }

    @Test
    void reportsTheEngine() {
        RuntimeInfo info = runtime.info();

        assertEquals("docker", info.driver());
        assertFalse(info.version().isBlank());
        assertEquals("1.41", info.apiVersion(), "the engine's own API version, not one docker-java imposes");
        assertTrue(info.cpus() > 0);
        assertTrue(info.memoryBytes() > 0);
        assertNotNull(info.os());
    }

    @Test
    void aBusyContainerShowsCpuAndMemory() throws Exception {
        String id = create(new ContainerRequest(PREFIX + "-busy", BUSYBOX, Map.of("orchestrator.run", RUN), Map.of(),
                List.of("sh", "-c", "while :; do :; done"), List.of(), MEMORY, 0, null, List.of()));
        runtime.start(id);
        long t0 = System.nanoTime();
        var first = runtime.stats(id).orElseThrow(() -> new AssertionError("no stats of a running container"));
        long took = System.nanoTime() - t0;
        Thread.sleep(1000);
        var second = runtime.stats(id).orElseThrow();

        assertTrue(first.memoryBytes() > 0, "memory in use: " + first);
        assertEquals(MEMORY, first.memoryLimitBytes(), "the container's limit");
        double wall = java.time.Duration.between(first.readAt(), second.readAt()).toNanos();
        double cpu = (second.cpuNanos() - first.cpuNanos()) / wall;
        assertTrue(cpu > 0.2, "a busy loop keeps a CPU busy: " + cpu + " CPUs, " + first + " then " + second);
        assertTrue(took < DockerRuntime.STATS_WAIT.toNanos(), "one read took " + took / 1_000_000 + " ms");
        runtime.stop(id, java.time.Duration.ofSeconds(1));
        assertTrue(runtime.stats(id).isEmpty(), "a stopped container has no stats");
    }

    @Test
    void drivesAWebContainerThroughItsLifecycle() throws Exception {
        BlockingQueue<RuntimeEvent> events = subscribe();
        String id = create(web(PREFIX + "-web"));
        assertEquals(ContainerState.CREATED, runtime.inspect(id).orElseThrow().state());

        runtime.start(id);
        runtime.start(id); // idempotent
        ContainerDetails running = runtime.inspect(id).orElseThrow();
        assertRunningAsRequested(id, running);
        assertLimitsApplied(id);
        assertTrue(runtime.list(Map.of("orchestrator.run", RUN)).stream().anyMatch(c -> c.id().equals(id)));

        int port = running.ports().get(0).hostPort();
        assertEquals(200, httpStatus(port, "/health"));
        assertTrue(eventually(() -> runtime.logs(id, 50), lines -> lines.stream()
                .anyMatch(l -> l.stream().equals("stdout") && l.text().equals("web: listening on 8080")
                        && l.timestamp() != null)), "startup line in logs");

        assertExecs(id);
        assertStopDeliversDie(id, events);

        runtime.remove(id, false);
        runtime.remove(id, false); // idempotent
        assertTrue(runtime.inspect(id).isEmpty());
        created.remove(id);
    }

    @Test
    void aContainersStopSignalIsTheOneRequested() throws Exception {
        ContainerRequest r = request(PREFIX + "-quit", BUSYBOX);
        String id = create(new ContainerRequest(r.name(), r.image(), r.labels(), r.env(), List.of("sleep", "30"),
                r.ports(), 0, 0, null, List.of(), List.of(), List.of(), List.of(), "SIGQUIT"));
        // docker-java's ContainerConfig has no stop signal: ask the CLI.
        assertEquals("SIGQUIT", dockerCli("inspect", "-f", "{{.Config.StopSignal}}", id));
    }

    private static String dockerCli(String... args) throws Exception {
        var argv = new java.util.ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void createFailuresCarryTheRightCodes() {
        var missing = assertThrows(OrchestratorException.class,
                () -> runtime.create(request(PREFIX + "-missing", "orchestrator-test/absent:404")));
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
        assertTrue(missing.getMessage().contains(
                "image orchestrator-test/absent:404 is not present on this node"), missing.getMessage());

        create(request(PREFIX + "-dup", BUSYBOX));
        var duplicate = assertThrows(OrchestratorException.class,
                () -> runtime.create(request(PREFIX + "-dup", BUSYBOX)));
        assertEquals(ErrorCode.CONFLICT, duplicate.code());
        assertTrue(duplicate.getMessage().contains(PREFIX + "-dup"), duplicate.getMessage());
    }

    @Test
    void missingContainersAreValuesNotErrors() {
        String ghost = PREFIX + "-ghost";

        assertTrue(runtime.inspect(ghost).isEmpty());
        assertEquals(List.of(), runtime.logs(ghost, 10));
        runtime.stop(ghost, Duration.ofSeconds(1));
        runtime.remove(ghost, true);
        var e = assertThrows(OrchestratorException.class, () -> runtime.start(ghost));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    private void assertRunningAsRequested(String id, ContainerDetails d) {
        assertTrue(d.running(), "state " + d.state());
        assertEquals(id, d.id());
        assertEquals(PREFIX + "-web", d.name());
        assertEquals(WEB, d.image());
        assertEquals("it-web", d.labels().get("orchestrator.service"));
        assertEquals(RUN, d.labels().get("orchestrator.run"));
        assertNotNull(d.ipAddress());
        assertNotNull(d.startedAt());
        assertNull(d.finishedAt(), "Docker's zero time means never");
        assertEquals(1, d.ports().size(), d.ports().toString());
        PortBinding p = d.ports().get(0);
        assertEquals(8080, p.containerPort());
        assertEquals("tcp", p.protocol());
        assertEquals("127.0.0.1", p.hostIp());
        assertTrue(p.hostPort() > 0, "an ephemeral host port was bound: " + p);
    }

    /** Docker itself removes a network that only created containers name; their start then fails. */
    @Test
    void aNetworkThatACreatedContainerNamesIsInUse() {
        var networks = runtime.networking().orElseThrow();
        var net = networks.createNetwork(PREFIX + "-net", "10.209.250.0/24", "10.209.250.1",
                Map.of("orchestrator.run", RUN));
        try {
            var r = request(PREFIX + "-on-net", BUSYBOX);
            String id = create(new ContainerRequest(r.name(), r.image(), r.labels(), r.env(),
                    List.of("sleep", "3600"), r.ports(), r.memoryBytes(), r.cpuShares(), net.id(), List.of()));
            var listed = networks.networks(Map.of("orchestrator.run", RUN)).stream()
                    .filter(n -> n.id().equals(net.id())).findFirst().orElseThrow();
            assertEquals(List.of(id), listed.containers(), "a created container uses the network");
            var e = assertThrows(OrchestratorException.class, () -> networks.removeNetwork(net.id()));
            assertEquals(ErrorCode.CONFLICT, e.code());
            runtime.start(id);
            runtime.remove(id, true);
            created.remove(id);
            networks.removeNetwork(net.id());
            assertTrue(networks.networks(Map.of("orchestrator.run", RUN)).isEmpty());
        } finally {
            created.forEach(c -> runtime.remove(c, true));
            created.clear();
            networks.removeNetwork(net.id());
        }
    }

    /** Nodes sharing the engine create a network at one moment: one is made, the rest refused. */
    @Test
    void racingCreatesOfOneNetworkMakeOnlyOne() throws Exception {
        var networks = runtime.networking().orElseThrow();
        String name = PREFIX + "-race";
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        var start = new java.util.concurrent.CountDownLatch(1);
        var results = new ArrayList<java.util.concurrent.Future<String>>();
        try {
            for (int i = 0; i < 8; i++) {
                int k = i;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        networks.createNetwork(name, "10.209.252.0/24", "10.209.252.1", Map.of("orchestrator.run", RUN));
                        return "made";
                    } catch (OrchestratorException e) {
                        return e.code() + " " + k;
                    }
                }));
            }
            start.countDown();
            var made = new ArrayList<String>();
            for (var f : results) {
                made.add(f.get());
            }
            assertEquals(1, made.stream().filter("made"::equals).count(), made.toString());
            assertTrue(made.stream().filter(m -> !m.equals("made")).allMatch(m -> m.startsWith("CONFLICT")), made.toString());
            assertEquals(1, docker.listNetworksCmd().withNameFilter(name).exec().stream()
                    .filter(n -> n.getName().equals(name)).count(), "one network of the name on the engine");
        } finally {
            pool.shutdownNow();
            docker.listNetworksCmd().withNameFilter(name).exec().stream().filter(n -> n.getName().equals(name))
                    .forEach(n -> networks.removeNetwork(n.getId()));
        }
    }

    /** Two networks of one name (racing creators): a created container holds only its own. */
    @Test
    void ofTwoNetworksOfOneNameOnlyTheOneACreatedContainerNamesIsInUse() {
        var networks = runtime.networking().orElseThrow();
        var mine = networks.createNetwork(PREFIX + "-dup", "10.209.251.0/24", "10.209.251.1",
                Map.of("orchestrator.run", RUN));
        String other = docker.createNetworkCmd().withName(PREFIX + "-dup").withDriver("bridge")
                .withLabels(Map.of("orchestrator.run", RUN)).exec().getId();
        try {
            var r = request(PREFIX + "-on-dup", BUSYBOX);
            create(new ContainerRequest(r.name(), r.image(), r.labels(), r.env(), List.of("sleep", "3600"),
                    r.ports(), r.memoryBytes(), r.cpuShares(), mine.id(), List.of()));
            networks.removeNetwork(other);
            assertEquals(List.of(mine.id()), networks.networks(Map.of("orchestrator.run", RUN)).stream()
                    .map(dev.orchestrator.api.spi.NetworkRuntime.Network::id).toList());
            assertThrows(OrchestratorException.class, () -> networks.removeNetwork(mine.id()));
        } finally {
            created.forEach(c -> runtime.remove(c, true));
            created.clear();
            networks.removeNetwork(mine.id());
            networks.removeNetwork(other);
        }
    }

    private static void assertLimitsApplied(String id) {
        HostConfig hc = docker.inspectContainerCmd(id).exec().getHostConfig();
        assertEquals(MEMORY, hc.getMemory());
        assertEquals(512, hc.getCpuShares());
    }

    private static void assertExecs(String id) throws InterruptedException {
        ExecResult cat = runtime.exec(id, List.of("cat", "/www/health"), Duration.ofSeconds(10));
        assertEquals(new ExecResult(0, "ok\n", false), cat);
        ExecResult no = runtime.exec(id, List.of("false"), Duration.ofSeconds(10));
        assertEquals(1, no.exitCode());
        assertFalse(no.timedOut());
        ExecResult big = runtime.exec(id, List.of("sh", "-c", "yes | head -c 100000"), Duration.ofSeconds(10));
        assertEquals(DockerRuntime.EXEC_OUTPUT_LIMIT, big.output().length(), "output is capped");

        long streamsBefore = streamThreads();
        long start = System.nanoTime();
        ExecResult slow = runtime.exec(id, List.of("sleep", "10"), Duration.ofMillis(500));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(slow.timedOut());
        assertEquals(-1, slow.exitCode());
        assertTrue(tookMs < 2_000, "timed out after " + tookMs + " ms");
        assertTrue(eventually(DockerRuntimeIT::streamThreads, n -> n <= streamsBefore),
                "the timed-out exec's reader thread ended");
        // Docker cannot kill an exec: the runtime ends it from the host, children included.
        runtime.exec(id, List.of("sh", "-c", "sleep 11; echo never"), Duration.ofMillis(500));
        assertTrue(eventually(() -> runtime.exec(id, List.of("ps"), Duration.ofSeconds(5)).output(),
                        ps -> !ps.contains("sleep 10") && !ps.contains("sleep 11")),
                "the timed-out commands are gone: " + runtime.exec(id, List.of("ps"), Duration.ofSeconds(5)).output());
    }

    private void assertStopDeliversDie(String id, BlockingQueue<RuntimeEvent> events) throws InterruptedException {
        long start = System.nanoTime();
        runtime.stop(id, Duration.ofSeconds(5));
        RuntimeEvent die = awaitEvent(events, RuntimeEvent.Type.DIE, id, Duration.ofSeconds(10));
        System.out.printf("[DockerRuntimeIT] stop -> DIE event: %d ms%n", (System.nanoTime() - start) / 1_000_000);
        runtime.stop(id, Duration.ofSeconds(5)); // idempotent

        ContainerDetails stopped = runtime.inspect(id).orElseThrow();
        assertEquals(ContainerState.EXITED, stopped.state());
        assertEquals(stopped.exitCode(), die.exitCode());
        assertEquals(143, die.exitCode(), "the web image exits 143 on SIGTERM");
        assertEquals("it-web", die.labels().get("orchestrator.service"));
        assertNotNull(stopped.finishedAt());
        assertNull(stopped.ipAddress());
    }

    /**
     * Subscribes and waits until the stream is live, by creating a throwaway container until its
     * CREATE event shows up: events from before the stream is up are not replayed.
     */
    private BlockingQueue<RuntimeEvent> subscribe() throws InterruptedException {
        BlockingQueue<RuntimeEvent> events = new LinkedBlockingQueue<>();
        subscriptions.add(runtime.events(events::add));
        for (int attempt = 0; attempt < 10; attempt++) {
            String probe = runtime.create(request(PREFIX + "-probe-" + attempt, BUSYBOX));
            try {
                awaitEvent(events, RuntimeEvent.Type.CREATE, probe, Duration.ofSeconds(1));
                return events;
            } catch (AssertionError notYet) {
                // The stream was not up yet; try again.
            } finally {
                runtime.remove(probe, true);
            }
        }
        throw new AssertionError("event stream did not come up");
    }

    private static RuntimeEvent awaitEvent(BlockingQueue<RuntimeEvent> events, RuntimeEvent.Type type, String id,
                                           Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            RuntimeEvent e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && e.type() == type && id.equals(e.containerId())) {
                return e;
            }
        }
        throw new AssertionError("no " + type + " event for " + id + " within " + timeout.toMillis() + " ms");
    }

    private String create(ContainerRequest request) {
        String id = runtime.create(request);
        created.add(id);
        return id;
    }

    private static ContainerRequest web(String name) {
        return new ContainerRequest(name, WEB, Map.of("orchestrator.service", "it-web", "orchestrator.run", RUN),
                Map.of("PORT", "8080"), List.of(), List.of(new PortBinding(8080, "tcp", "127.0.0.1", 0)),
                MEMORY, 512, null, List.of());
    }

    private static ContainerRequest request(String name, String image) {
        return new ContainerRequest(name, image, Map.of("orchestrator.run", RUN), Map.of(), List.of(), List.of(),
                0, 0, null, List.of());
    }

    /** httpd needs a moment after the container starts: retry for up to 5 s. */
    private static int httpStatus(int port, String path) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(1)).build();
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        IOException last = null;
        while (System.nanoTime() < end) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return status;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("GET " + request.uri() + " did not answer 200 within 5 s", last);
    }

    private static <T> boolean eventually(Supplier<T> read, Predicate<T> ok) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < end) {
            if (ok.test(read.get())) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static long streamThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("docker-java-stream-"))
                .count();
    }

    private static DockerClient rawClient() {
        DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().build();
        return DockerClientImpl.getInstance(config, new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig()).build());
    }
}
