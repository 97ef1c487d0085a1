package dev.orchestrator.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.api.spi.ExecResult;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.api.spi.PortBinding;
import dev.orchestrator.api.spi.RuntimeEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every container runtime driver must pass. A driver's test class extends it and
 * supplies the runtime and an image; the tests drive containers through their whole life
 * (create, start, inspect, list by labels, logs, exec, stop with its die event, remove) and
 * check the error contract of {@link ContainerRuntime}: a missing container is a value, a
 * missing image is {@link ErrorCode#NOT_FOUND}, a name in use {@link ErrorCode#CONFLICT}.
 *
 * <p>Every container is named {@code contract-<run>-<n>} and labelled
 * {@value #RUN_LABEL}{@code =<run>}; all of them are removed after each test, so the contract
 * can run against an engine other tests share. The test methods are public so that JUnit may
 * call them from a named module without {@code opens}.
 */
public abstract class RuntimeContract {
    /** The label that marks the containers of one run of the contract. */
    public static final String RUN_LABEL = "dev.orchestrator.contract.run";
    /** The line {@link #longRunning} containers must write to stdout as they start. */
    public static final String READY_LINE = "contract-ready";
    /** The container port the requests bind to an ephemeral host port. */
    public static final int CONTAINER_PORT = 8080;

    private final String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    private final AtomicInteger names = new AtomicInteger();
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    /** For subclasses. */
    protected RuntimeContract() {
    }

    /** @return the runtime under test; the same one for every call of one test */
    protected abstract ContainerRuntime runtime();

    /**
     * @param name   the container name to use
     * @param labels the labels to set
     * @return a request for a container, of an image present on the node, that writes
     *         {@link #READY_LINE} to stdout, then runs until stopped; it binds
     *         {@link #CONTAINER_PORT} to an ephemeral host port on 127.0.0.1 (see {@link #port()})
     */
    protected abstract ContainerRequest longRunning(String name, Map<String, String> labels);

    /** @return an image reference that is not present on the node */
    protected String missingImage() {
        return "orchestrator-test/absent:404";
    }

    /**
     * @param text what to print
     * @return a command that prints {@code text} and a newline to stdout and exits 0
     */
    protected List<String> echo(String text) {
        return List.of("echo", text);
    }

    /**
     * @param code an exit code
     * @return a command that exits with it
     */
    protected List<String> exit(int code) {
        return List.of("sh", "-c", "exit " + code);
    }

    /** @return the longest wait for an event or a log line; 10 s */
    protected Duration patience() {
        return Duration.ofSeconds(10);
    }

    /** @return the port binding requests should carry */
    protected static PortBinding port() {
        return new PortBinding(CONTAINER_PORT, "tcp", "127.0.0.1", 0);
    }

    /**
     * Removes every container this run created, and ends its subscriptions.
     *
     * @throws Exception if closing a subscription fails
     */
    @AfterEach
    public final void removeContractContainers() throws Exception {
        for (AutoCloseable s : subscriptions) {
            s.close();
        }
        subscriptions.clear();
        for (ContainerDetails c : runtime().list(Map.of(RUN_LABEL, run))) {
            runtime().remove(c.id(), true);
        }
    }

    /** A created container is there, not running, with its name, image and labels. */
    @Test
    public void createMakesAContainerThatDoesNotRunYet() {
        String name = name();
        String id = create(name, Map.of("role", "a"));
        ContainerDetails c = runtime().inspect(id).orElseThrow(() -> new AssertionError("created " + id + " is gone"));
        assertEquals(id, c.id());
        assertEquals(name, c.name());
        assertEquals(ContainerState.CREATED, c.state());
        assertFalse(c.running());
        assertEquals("a", c.labels().get("role"));
        assertEquals(run, c.labels().get(RUN_LABEL));
        assertEquals(id, runtime().inspect(name).map(ContainerDetails::id).orElse(null), "inspect by name");
    }

    /** Start runs it, binds an ephemeral port, and is idempotent. */
    @Test
    public void startRunsItAndIsIdempotent() {
        String id = create(name(), Map.of());
        runtime().start(id);
        runtime().start(id);
        ContainerDetails c = runtime().inspect(id).orElseThrow();
        assertTrue(c.running(), "state " + c.state());
        assertNotNull(c.startedAt());
        assertEquals(1, c.ports().size(), "ports " + c.ports());
        PortBinding p = c.ports().get(0);
        assertEquals(CONTAINER_PORT, p.containerPort());
        assertEquals("tcp", p.protocol());
        assertTrue(p.hostPort() > 0, "an ephemeral host port was bound: " + p);
    }

    /** List returns containers in any state whose labels include all those asked for. */
    @Test
    public void listFiltersByEveryLabel() {
        String a = create(name(), Map.of("role", "a"));
        String b = create(name(), Map.of("role", "b"));
        runtime().start(b);
        assertEquals(List.of(a), ids(runtime().list(Map.of(RUN_LABEL, run, "role", "a"))));
        assertEquals(List.of(b), ids(runtime().list(Map.of(RUN_LABEL, run, "role", "b"))));
        List<String> both = ids(runtime().list(Map.of(RUN_LABEL, run)));
        assertEquals(2, both.size(), "both, created and running: " + both);
        assertTrue(both.containsAll(List.of(a, b)));
        assertEquals(List.of(), runtime().list(Map.of(RUN_LABEL, run, "role", "none")));
        assertTrue(ids(runtime().list(Map.of())).containsAll(List.of(a, b)), "no labels: every container");
    }

    /**
     * Logs hold what the container wrote, oldest first, with a stream name and a time.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void logsHoldWhatTheContainerWrote() throws InterruptedException {
        String id = create(name(), Map.of());
        runtime().start(id);
        long end = System.nanoTime() + patience().toNanos();
        List<LogLine> lines = runtime().logs(id, 10);
        while (lines.stream().noneMatch(l -> l.text().equals(READY_LINE)) && System.nanoTime() < end) {
            Thread.sleep(20);
            lines = runtime().logs(id, 10);
        }
        LogLine ready = lines.stream().filter(l -> l.text().equals(READY_LINE)).findFirst()
                .orElseThrow(() -> new AssertionError("no '" + READY_LINE + "' line in the logs within "
                        + patience().toMillis() + " ms"));
        assertEquals("stdout", ready.stream());
        assertNotNull(ready.timestamp());
        assertThrows(OrchestratorException.class, () -> runtime().logs(id, 0), "tail must be > 0");
    }

    /** Exec returns the exit code and output of a command; a missing container is NOT_FOUND. */
    @Test
    public void execRunsACommandInARunningContainer() {
        String id = create(name(), Map.of());
        runtime().start(id);
        ExecResult hello = runtime().exec(id, echo("contract"), patience());
        assertEquals(new ExecResult(0, "contract\n", false), hello);
        ExecResult three = runtime().exec(id, exit(3), patience());
        assertEquals(3, three.exitCode());
        assertFalse(three.timedOut());
        var missing = assertThrows(OrchestratorException.class,
                () -> runtime().exec("contract-" + run + "-ghost", echo("x"), patience()));
        assertEquals(ErrorCode.NOT_FOUND, missing.code());
    }

    /**
     * Stop ends a running container, a die event with its exit code and labels follows, and a
     * second stop is a no-op.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void stopEndsItAndADieEventFollows() throws InterruptedException {
        BlockingQueue<RuntimeEvent> events = subscribe();
        String id = create(name(), Map.of("role", "stopped"));
        runtime().start(id);
        runtime().stop(id, Duration.ofSeconds(1));
        RuntimeEvent die = await(events, RuntimeEvent.Type.DIE, id);
        runtime().stop(id, Duration.ofSeconds(1));
        ContainerDetails c = runtime().inspect(id).orElseThrow();
        assertEquals(ContainerState.EXITED, c.state());
        assertEquals(c.exitCode(), die.exitCode());
        assertEquals("stopped", die.labels().get("role"));
        assertNotNull(c.finishedAt());
    }

    /**
     * Remove removes, is idempotent, and a force remove of a running container kills it.
     *
     * @throws InterruptedException if interrupted while waiting
     */
    @Test
    public void removeIsIdempotent() throws InterruptedException {
        BlockingQueue<RuntimeEvent> events = subscribe();
        String id = create(name(), Map.of());
        runtime().start(id);
        runtime().remove(id, true);
        await(events, RuntimeEvent.Type.DESTROY, id);
        runtime().remove(id, true);
        runtime().remove(id, false);
        assertTrue(runtime().inspect(id).isEmpty());
        assertFalse(ids(runtime().list(Map.of(RUN_LABEL, run))).contains(id));
    }

    /** Missing containers are values (empty, no-op), except for start, which is NOT_FOUND. */
    @Test
    public void aMissingContainerIsAValueNotAnError() {
        String ghost = "contract-" + run + "-ghost";
        assertTrue(runtime().inspect(ghost).isEmpty());
        assertEquals(List.of(), runtime().logs(ghost, 10));
        runtime().stop(ghost, Duration.ofSeconds(1));
        runtime().remove(ghost, true);
        var e = assertThrows(OrchestratorException.class, () -> runtime().start(ghost));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    /**
     * Stats are observed or unknown: none for a missing or a stopped container; a running
     * one's, if the runtime measures, have a time and a CPU counter that does not go back.
     */
    @Test
    public void statsAreObservedOrEmpty() {
        assertTrue(runtime().stats("contract-" + run + "-ghost").isEmpty());
        String id = create(name(), Map.of());
        assertTrue(runtime().stats(id).isEmpty(), "a created container does not run: no stats");
        runtime().start(id);
        var first = runtime().stats(id);
        if (first.isEmpty()) {
            return; // a runtime that does not measure
        }
        assertNotNull(first.get().readAt());
        var second = runtime().stats(id).orElseThrow(() -> new AssertionError("stats vanished while it runs"));
        assertTrue(second.cpuNanos() >= first.get().cpuNanos(), first + " then " + second);
        runtime().stop(id, Duration.ofSeconds(1));
        assertTrue(runtime().stats(id).isEmpty(), "a stopped container has no stats");
    }

    /** A missing image is NOT_FOUND with a message naming it; nothing is created. */
    @Test
    public void aMissingImageIsNotFound() {
        assertFalse(runtime().imagePresent(missingImage()));
        ContainerRequest r = longRunning(name(), Map.of(RUN_LABEL, run));
        var request = new ContainerRequest(r.name(), missingImage(), r.labels(), r.env(), r.command(), r.ports(),
                r.memoryBytes(), r.cpuShares(), r.network(), r.aliases());
        var e = assertThrows(OrchestratorException.class, () -> runtime().create(request));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
        assertTrue(e.getMessage().contains(missingImage()), e.getMessage());
        assertEquals(List.of(), runtime().list(Map.of(RUN_LABEL, run)));
    }

    /** A name in use is a CONFLICT naming it. */
    @Test
    public void aNameInUseIsAConflict() {
        String name = name();
        create(name, Map.of());
        var e = assertThrows(OrchestratorException.class, () -> create(name, Map.of()));
        assertEquals(ErrorCode.CONFLICT, e.code());
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    private String name() {
        return "contract-" + run + "-" + names.incrementAndGet();
    }

    private String create(String name, Map<String, String> labels) {
        var all = new HashMap<>(labels);
        all.put(RUN_LABEL, run);
        return runtime().create(longRunning(name, all));
    }

    private static List<String> ids(List<ContainerDetails> cs) {
        return cs.stream().map(ContainerDetails::id).toList();
    }

    /**
     * Subscribes, and waits until the stream is live (events from before it are not
     * replayed): creates throwaway containers until one's CREATE event shows up.
     */
    private BlockingQueue<RuntimeEvent> subscribe() throws InterruptedException {
        BlockingQueue<RuntimeEvent> events = new LinkedBlockingQueue<>();
        subscriptions.add(runtime().events(events::add));
        for (int attempt = 0; attempt < 10; attempt++) {
            String probe = create(name(), Map.of());
            try {
                if (poll(events, RuntimeEvent.Type.CREATE, probe, Duration.ofSeconds(1)) != null) {
                    return events;
                }
            } finally {
                runtime().remove(probe, true);
            }
        }
        throw new AssertionError("the event stream did not come up");
    }

    private RuntimeEvent await(BlockingQueue<RuntimeEvent> events, RuntimeEvent.Type type, String id)
            throws InterruptedException {
        RuntimeEvent e = poll(events, type, id, patience());
        if (e == null) {
            throw new AssertionError("no " + type + " event for " + id + " within " + patience().toMillis() + " ms");
        }
        return e;
    }

    private static RuntimeEvent poll(BlockingQueue<RuntimeEvent> events, RuntimeEvent.Type type, String id,
                                     Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = end - System.nanoTime()) {
            RuntimeEvent e = events.poll(left, TimeUnit.NANOSECONDS);
            if (e != null && e.type() == type && id.equals(e.containerId())) {
                return e;
            }
        }
        return null;
    }
}
