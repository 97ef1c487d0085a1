package dev.orchestrator.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeFactory;
import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.api.spi.ProbeTarget;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every probe plugin must pass. A plugin's test class extends it, starts whatever
 * its targets need (a server, a stub runtime) and supplies the targets; the tests here create
 * the probe through the plugin's factory, as the kernel does, and check:
 * <ul>
 *   <li>{@link java.util.ServiceLoader} finds the factory under its name, which is a lower-case
 *       DNS label;</li>
 *   <li>a healthy target is healthy; an unhealthy one is unhealthy with a non-blank detail;</li>
 *   <li>a target that never answers is unhealthy within its timeout plus
 *       {@link #TIMEOUT_MARGIN};</li>
 *   <li>{@value #CONCURRENT_CHECKS} concurrent checks on virtual threads all return the right
 *       outcome;</li>
 *   <li>{@code check} never throws, even for an unreachable target or a failing runtime.</li>
 * </ul>
 *
 * <p>Lifecycle: a new probe is created before each test (the superclass's {@code @BeforeEach}
 * runs before the subclass's) and closed after it if it is {@link AutoCloseable}. The test
 * methods are public so that JUnit may call them from a named module without {@code opens}.
 */
public abstract class ProbeContract {
    /** How much longer than its timeout a probe may take. */
    public static final Duration TIMEOUT_MARGIN = Duration.ofMillis(500);
    /** How many checks the concurrency test runs at once. */
    public static final int CONCURRENT_CHECKS = 50;
    /** The timeout given to {@link #hangingTarget(Duration)}. */
    public static final Duration HANG_TIMEOUT = Duration.ofSeconds(1);

    private Probe probe;

    /** For subclasses. */
    protected ProbeContract() {
    }

    /** @return a new instance of the factory under test */
    protected abstract ProbeFactory factory();

    /** @return a target the probe must find healthy; may be called many times */
    protected abstract ProbeTarget healthyTarget();

    /** @return a target the probe must find unhealthy; may be called many times */
    protected abstract ProbeTarget unhealthyTarget();

    /**
     * @param timeout the health check timeout to put in the target's spec
     * @return a target that never answers (a silent server, a command that sleeps)
     */
    protected abstract ProbeTarget hangingTarget(Duration timeout);

    /** @return a target that cannot be reached at all, e.g. a closed port or a missing container */
    protected abstract ProbeTarget unreachableTarget();

    /** @return the configuration to create the probe with; empty by default */
    protected PluginConfig config() {
        return PluginConfig.EMPTY;
    }

    /** @return the context to create the probe with: the system clock and no events */
    protected PluginContext context() {
        return QuietContext.create();
    }

    /** @return the probe under test, created for the current test */
    protected final Probe probe() {
        return probe;
    }

    /**
     * @param target a target
     * @return the same target, with a runtime whose every method throws
     *         {@link ErrorCode#RUNTIME_FAILURE}
     */
    protected static ProbeTarget withFailingRuntime(ProbeTarget target) {
        return new ProbeTarget(target.containerId(), target.replica(), target.address(), target.portMap(),
                target.spec(), failingRuntime());
    }

    /** Creates the probe through the factory. */
    @BeforeEach
    public final void createProbe() {
        probe = factory().create(config(), context());
        assertNotNull(probe, "factory " + factory().getClass().getName() + " created null");
    }

    /**
     * Closes the probe if it holds resources.
     *
     * @throws Exception if closing fails
     */
    @AfterEach
    public final void closeProbe() throws Exception {
        if (probe instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    /** The kernel finds the factory with ServiceLoader, under its name. */
    @Test
    @Timeout(10)
    public void factoryIsFoundByServiceLoaderUnderItsName() {
        ProbeFactory expected = factory();
        List<ProbeFactory> found = ServiceLoader.load(ProbeFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(expected.name()))
                .toList();

        assertEquals(1, found.size(), "probe factories named '" + expected.name() + "': " + found);
        assertSame(expected.getClass(), found.getFirst().getClass());
    }

    /** Names are what the kernel accepts. */
    @Test
    @Timeout(10)
    public void nameIsALowerCaseDnsLabel() {
        String name = factory().name();

        assertDoesNotThrow(() -> Validation.dnsLabel("probe name", name));
        assertEquals(name, factory().name(), "name() must be constant");
    }

    /** A healthy target passes. */
    @Test
    @Timeout(30)
    public void healthyTargetIsHealthy() {
        ProbeResult result = probe.check(healthyTarget());

        assertTrue(result.healthy(), () -> "expected healthy, got " + result);
        assertFalse(result.took().isNegative(), () -> "negative duration: " + result);
    }

    /** An unhealthy target fails and says why. */
    @Test
    @Timeout(30)
    public void unhealthyTargetIsUnhealthyWithADetail() {
        ProbeResult result = probe.check(unhealthyTarget());

        assertUnhealthy(result);
    }

    /** A target that never answers fails on time. */
    @Test
    @Timeout(30)
    public void hangingTargetIsUnhealthyWithinItsTimeout() {
        ProbeTarget target = hangingTarget(HANG_TIMEOUT);
        assertEquals(HANG_TIMEOUT, target.spec().timeout(), "hangingTarget must use the timeout it is given");

        long start = System.nanoTime();
        ProbeResult result = probe.check(target);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertUnhealthy(result);
        assertTrue(took.compareTo(HANG_TIMEOUT.plus(TIMEOUT_MARGIN)) <= 0,
                () -> "took " + took.toMillis() + " ms for a timeout of " + HANG_TIMEOUT.toMillis() + " ms: " + result);
    }

    /**
     * Many checks at once, as the kernel runs them, each get the right answer.
     *
     * @throws Exception if a check throws or the wait fails
     */
    @Test
    @Timeout(60)
    public void concurrentChecksAllCompleteCorrectly() throws Exception {
        ProbeTarget healthy = healthyTarget();
        ProbeTarget unhealthy = unhealthyTarget();
        List<Future<ProbeResult>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CONCURRENT_CHECKS; i++) {
                ProbeTarget target = i % 2 == 0 ? healthy : unhealthy;
                results.add(threads.submit(() -> probe.check(target)));
            }
            for (int i = 0; i < CONCURRENT_CHECKS; i++) {
                ProbeResult result = results.get(i).get(30, TimeUnit.SECONDS);
                boolean expected = i % 2 == 0;
                int n = i;
                assertEquals(expected, result.healthy(), () -> "check " + n + ": " + result);
                assertFalse(result.detail().isBlank(), () -> "check " + n + " has a blank detail: " + result);
            }
        }
    }

    /** Unreachable targets and broken runtimes are outcomes, not exceptions. */
    @Test
    @Timeout(30)
    public void neverThrowsForUnreachableTargets() {
        for (ProbeTarget target : List.of(unreachableTarget(), withFailingRuntime(unreachableTarget()))) {
            ProbeResult result = assertDoesNotThrow(() -> probe.check(target));

            assertUnhealthy(result);
        }
    }

    private static void assertUnhealthy(ProbeResult result) {
        assertFalse(result.healthy(), () -> "expected unhealthy, got " + result);
        assertFalse(result.detail().isBlank(), () -> "an unhealthy result needs a detail: " + result);
    }

    private static ContainerRuntime failingRuntime() {
        return (ContainerRuntime) Proxy.newProxyInstance(ContainerRuntime.class.getClassLoader(),
                new Class<?>[] {ContainerRuntime.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "close" -> null;
                    case "toString" -> "failing runtime";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE,
                            "runtime unavailable (ProbeContract's failing runtime)");
                });
    }
}
