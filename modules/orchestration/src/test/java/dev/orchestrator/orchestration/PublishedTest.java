package dev.orchestrator.orchestration;

import static dev.orchestrator.orchestration.NodeFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.PortBinding;
import dev.orchestrator.store.Health;
import dev.orchestrator.store.ServiceRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What the load balancer is given: running replicas, with a health check only healthy ones. */
@Timeout(30)
class PublishedTest {
    private static final HealthCheckSpec CHECK = new HealthCheckSpec("scripted", null, 8080, List.of(),
            Duration.ofMillis(20), Duration.ofMillis(20), 1, Duration.ZERO);
    private static final List<PortMapping> PORTS = List.of(new PortMapping(8080, 9090, "tcp"));

    @TempDir
    Path dir;
    private NodeFixture f;
    private HealthMonitor monitor;

    @BeforeEach
    void setUp() {
        f = new NodeFixture(dir);
        monitor = new HealthMonitor(type -> f.probe, f.runtime, "127.0.0.1", f.sink(), f.clock, (s, i, id, h) -> { });
    }

    @AfterEach
    void tearDown() {
        monitor.close();
        f.close();
    }

    private Published published(RemoteBackends remote) {
        return new Published(f.node, monitor, remote);
    }

    private ContainerDetails replica(int index) {
        String id = f.runtime.create(new ContainerRequest("web-" + index + ".x", NodeFixture.IMAGE,
                Labels.of("c1", "web", index, 1, "n1"), Map.of(), List.of(),
                List.of(new PortBinding(8080, "tcp", "127.0.0.1", 0)), 0, 0, null, List.of()));
        f.runtime.start(id);
        return f.runtime.inspect(id).orElseThrow();
    }

    private Optional<ServiceRecord> service(HealthCheckSpec check) {
        return Optional.of(f.deploy(NodeFixture.spec("web", NodeFixture.IMAGE, 3, PORTS, check)));
    }

    @Test
    void withAHealthCheckOnlyHealthyReplicasGetTraffic() {
        var desired = service(CHECK);
        List<ContainerDetails> cs = List.of(replica(0), replica(1), replica(2));
        f.probe.fail("web-1", "HTTP 503");
        monitor.track("web", CHECK, cs);
        eventually("verdicts for all three", () -> cs.stream().allMatch(c -> monitor.health(c.id())
                .filter(h -> h != Health.STARTING).isPresent()));
        Published p = published(RemoteBackends.NONE);

        p.update("web", desired, cs);

        assertEquals(List.of("web-0", "web-2"), f.lb.replicas(9090));
        Endpoint e = f.lb.backends(9090).get(0);
        assertEquals("127.0.0.1", e.host());
        assertEquals(cs.get(Integer.parseInt(e.replica().substring(4))).ports().get(0).hostPort(), e.port());
        assertEquals(2, p.localBackends().size());
    }

    @Test
    void eachPortGetsItsServicesBalancingPolicyRoundRobinByDefault() {
        Published p = published(RemoteBackends.NONE);
        List<ContainerDetails> cs = List.of(replica(0));
        p.update("web", service(null), cs);
        assertEquals("round-robin", f.lb.policy(9090));

        var spec = NodeFixture.spec("web", NodeFixture.IMAGE, 3, PORTS, null);
        var sticky = new dev.orchestrator.api.ServiceSpec(spec.name(), spec.image(), spec.replicas(), spec.ports(),
                null, null, Map.of(), List.of(), null, List.of(), null, null, List.of(), "hash");
        p.update("web", Optional.of(f.deploy(sticky)), cs);

        assertEquals("hash", f.lb.policy(9090));
    }

    @Test
    void replicasStillStartingGetNoTraffic() {
        var desired = service(CHECK);
        Published p = published(RemoteBackends.NONE);

        p.update("web", desired, List.of(replica(0)));

        assertTrue(f.lb.published(9090), "the port is bound before any replica is ready");
        assertEquals(List.of(), f.lb.replicas(9090));
    }

    @Test
    void withoutAHealthCheckRunningReplicasGetTrafficAndEndedOnesNone() {
        var desired = service(null);
        ContainerDetails a = replica(0);
        ContainerDetails b = replica(1);
        f.runtime.crash(b.id(), 1);
        Published p = published(RemoteBackends.NONE);

        p.update("web", desired, List.of(a, f.runtime.inspect(b.id()).orElseThrow()));

        assertEquals(List.of("web-0"), f.lb.replicas(9090));
    }

    @Test
    void aWithdrawnReplicaGetsNoTrafficAtOnce() {
        var desired = service(null);
        List<ContainerDetails> cs = List.of(replica(0), replica(1));
        Published p = published(RemoteBackends.NONE);
        p.update("web", desired, cs);
        assertEquals(List.of("web-0", "web-1"), f.lb.replicas(9090));

        assertTrue(p.withdraw("web", cs.get(1).id()));

        assertEquals(List.of("web-0"), f.lb.replicas(9090));
        p.update("web", desired, cs);
        assertEquals(List.of("web-0"), f.lb.replicas(9090), "never a backend again");
    }

    @Test
    void backendsOfOtherNodesAreAddedAndRefreshed() {
        var desired = service(null);
        var remote = new java.util.concurrent.atomic.AtomicReference<List<Endpoint>>(List.of());
        Published p = published((service, port, protocol) -> remote.get());
        p.update("web", desired, List.of(replica(0)));
        assertEquals(List.of("web-0"), f.lb.replicas(9090));

        remote.set(List.of(new Endpoint("web-1", "10.0.0.2", 31000)));
        p.refreshAll();

        assertEquals(List.of("web-0", "web-1"), f.lb.replicas(9090));
        assertEquals(1, p.localBackends().size(), "only this node's own are advertised");
    }

    @Test
    void aServiceThatIsGoneHasItsPortUnpublished() {
        var desired = service(null);
        Published p = published(RemoteBackends.NONE);
        p.update("web", desired, List.of(replica(0)));

        p.update("web", Optional.empty(), List.of());

        assertFalse(f.lb.published(9090));
        assertEquals(List.of(), p.localBackends());
    }
}
