package dev.orchestrator.orchestration;

import static dev.orchestrator.orchestration.NodeFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.store.Health;
import dev.orchestrator.testkit.FakeRuntime;
import dev.orchestrator.testkit.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The health monitor with a scripted probe over containers of the fake runtime. */
@Timeout(30)
class HealthMonitorTest {
    /** Probes every 20 ms; two failures in a row make a replica unhealthy. */
    private static final HealthCheckSpec CHECK = new HealthCheckSpec("scripted", null, 8080, List.of(),
            Duration.ofMillis(20), Duration.ofMillis(20), 2, Duration.ZERO);

    private final ManualClock clock = new ManualClock(NodeFixture.T0);
    private final FakeRuntime runtime = new FakeRuntime(clock).addImage("web:1");
    private final ScriptedProbe probe = new ScriptedProbe();
    private final List<String> changes = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final HealthMonitor monitor = new HealthMonitor(type -> probe, runtime, "127.0.0.1",
            (type, service, container, message) -> events.add(message), clock,
            (service, index, id, health) -> changes.add(Containers.replicaName(service, index) + " "
                    + health.wireName()));

    @AfterEach
    void tearDown() {
        monitor.close();
    }

    private ContainerDetails replica(int index) {
        return replica(index, Labels.of("c1", "web", index, 1, "n1"));
    }

    private ContainerDetails replica(int index, Map<String, String> labels) {
        String id = runtime.create(new ContainerRequest("web-" + index + ".x", "web:1", labels, Map.of(), List.of(),
                List.of(), 0, 0, null, List.of()));
        runtime.start(id);
        return runtime.inspect(id).orElseThrow();
    }

    @Test
    void aPassingReplicaBecomesHealthyAndAFailingOneUnhealthy() {
        ContainerDetails good = replica(0);
        ContainerDetails bad = replica(1);
        probe.fail("web-1", "HTTP 500");

        monitor.track("web", CHECK, List.of(good, bad));

        eventually("web-0 healthy", () -> monitor.health(good.id()).equals(Optional.of(Health.HEALTHY)));
        eventually("web-1 unhealthy", () -> monitor.health(bad.id()).equals(Optional.of(Health.UNHEALTHY)));
        // The listener is told right after the state is set, on the probe's thread.
        eventually("web-0 healthy told", () -> changes.contains("web-0 healthy"));
        eventually("web-1 unhealthy told", () -> changes.contains("web-1 unhealthy"));
        eventually("event", () -> events.contains("Container web-1 failed health check (HTTP 500)"));
        assertEquals(2, monitor.watched());
    }

    @Test
    void aReplicaThatRecoversIsHealthyAgainAndEachChangeIsToldOnce() {
        ContainerDetails c = replica(0);
        probe.fail("web-0", "connection refused");
        monitor.track("web", CHECK, List.of(c));
        eventually("unhealthy", () -> monitor.health(c.id()).equals(Optional.of(Health.UNHEALTHY)));

        probe.pass("web-0");

        eventually("healthy again", () -> monitor.health(c.id()).equals(Optional.of(Health.HEALTHY)));
        int checks = probe.checks();
        eventually("a few more probes", () -> probe.checks() > checks + 3);
        assertEquals(List.of("web-0 unhealthy", "web-0 healthy"), changes);
    }

    @Test
    void containersThatStoppedOrLostTheirCheckAreForgotten() {
        ContainerDetails a = replica(0);
        ContainerDetails b = replica(1);
        monitor.track("web", CHECK, List.of(a, b));
        assertEquals(2, monitor.watched());

        runtime.stop(b.id(), Duration.ZERO);
        monitor.track("web", CHECK, List.of(a, runtime.inspect(b.id()).orElseThrow()));
        assertEquals(1, monitor.watched());
        assertEquals(Optional.empty(), monitor.health(b.id()));

        monitor.track("web", null, List.of(a));
        assertEquals(0, monitor.watched());
    }

    @Test
    void eachContainerIsProbedWithItsOwnRevisionsCheck() {
        // v1 had no check, v2 adds one: the v1 container must not be probed with v2's check
        // (it may not serve it), and v2's is probed even if the caller's spec says none.
        ContainerDetails v1 = replica(0, Labels.of("c1", "web", 0, 1, "n1", null));
        ContainerDetails v2 = replica(1, Labels.of("c1", "web", 1, 2, "n1", CHECK));

        monitor.track("web", CHECK, List.of(v1, v2));
        assertEquals(Optional.empty(), monitor.health(v1.id()), "v1 carries no check: not probed");
        eventually("v2 healthy", () -> monitor.health(v2.id()).equals(Optional.of(Health.HEALTHY)));

        monitor.track("web", null, List.of(v1, v2));
        assertEquals(1, monitor.watched(), "v2 keeps its own check");
    }

    @Test
    void failuresDuringTheStartPeriodDoNotCount() {
        var patient = new HealthCheckSpec("scripted", null, 8080, List.of(), Duration.ofMillis(20),
                Duration.ofMillis(20), 1, Duration.ofMinutes(1));
        ContainerDetails c = replica(0);
        probe.fail("web-0", "still booting");
        monitor.track("web", patient, List.of(c));
        int checks = probe.checks();
        eventually("several probes", () -> probe.checks() > checks + 3);
        assertEquals(Optional.of(Health.STARTING), monitor.health(c.id()), "the clock has not left the start period");

        clock.advance(Duration.ofMinutes(2));

        eventually("unhealthy once the start period is over", () -> monitor.health(c.id())
                .equals(Optional.of(Health.UNHEALTHY)));
    }
}
