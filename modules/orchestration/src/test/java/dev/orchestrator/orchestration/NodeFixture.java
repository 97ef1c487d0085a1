package dev.orchestrator.orchestration;

import static org.junit.jupiter.api.Assertions.fail;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ReplicaRecord;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.store.Store;
import dev.orchestrator.testkit.FakeRuntime;
import dev.orchestrator.testkit.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * One node without Docker: a real SQLite store in a temp dir, a {@link FakeRuntime}, a
 * {@link RecordingLoadBalancer}, a {@link ScriptedProbe} and a hand-moved clock, and the real
 * {@link Reconciler} over them.
 */
final class NodeFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String NODE = "n1";
    static final String CLUSTER = "c1";
    static final String IMAGE = "web:1";
    /** Long resync: tests resync by hand; short grace and start timeout. */
    static final Reconciler.Settings SETTINGS = new Reconciler.Settings(Duration.ofHours(1), Duration.ofSeconds(1),
            Duration.ofSeconds(5));
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    final ManualClock clock = new ManualClock(T0);
    final Store store;
    final FakeRuntime runtime = new FakeRuntime(clock).addImage(IMAGE, "listening");
    final RecordingLoadBalancer lb = new RecordingLoadBalancer();
    final ScriptedProbe probe = new ScriptedProbe();
    final List<String> events = new CopyOnWriteArrayList<>();
    /** The registry credentials the node holds, by host. */
    final java.util.Map<String, dev.orchestrator.api.spi.RegistryAuth> auths =
            new java.util.concurrent.ConcurrentHashMap<>();
    final LocalNode node = new LocalNode(NODE, "127.0.0.1", runtime, lb, "127.0.0.1", "127.0.0.1",
            RecordingLoadBalancer.POLICIES, Attachments.NONE, host -> java.util.Optional.ofNullable(auths.get(host)));
    private final List<Reconciler> reconcilers = new ArrayList<>();

    NodeFixture(Path dir) {
        store = Store.open(dir, clock);
    }

    EventSink sink() {
        return (type, service, container, message) -> events.add(type + " " + container + ": " + message);
    }

    /** @return a new reconciler of this node, closed with the fixture */
    Reconciler reconciler() {
        var r = new Reconciler(store, node, CLUSTER, sink(), clock, SETTINGS, type -> probe, RemoteBackends.NONE);
        reconcilers.add(r);
        return r;
    }

    /** Stores a service and assigns all its replicas to this node, as the scheduler would. */
    ServiceRecord deploy(ServiceSpec spec) {
        ServiceRecord r = store.services().put(spec);
        assign(spec.name(), spec.replicas());
        return r;
    }

    ServiceRecord deploy(String name, int replicas, int publishedPort) {
        List<PortMapping> ports = publishedPort == 0 ? List.of() : List.of(new PortMapping(8080, publishedPort, "tcp"));
        return deploy(spec(name, IMAGE, replicas, ports, null));
    }

    static ServiceSpec spec(String name, String image, int replicas, List<PortMapping> ports, HealthCheckSpec check) {
        return new ServiceSpec(name, image, replicas, ports, null, check, Map.of(), List.of(), null, List.of(), null);
    }

    void scale(String service, int replicas) {
        store.services().setReplicas(service, replicas);
        assign(service, replicas);
    }

    private void assign(String service, int replicas) {
        for (int i = 0; i < replicas; i++) {
            store.assignments().put(new Assignment(service, i, NODE, null, clock.instant(), 0));
        }
        store.assignments().all().stream().filter(a -> a.service().equals(service) && a.index() >= replicas)
                .forEach(a -> store.assignments().delete(service, a.index()));
    }

    /** One pass of the reconciler now, after any background pass (a retry timer) is over. */
    void pass(Reconciler r, String service) {
        awaitIdle(r);
        r.reconcileNow(service);
        awaitIdle(r);
    }

    void awaitIdle(Reconciler r) {
        eventually("the reconciler to be idle, busy with " + r.busy(), () -> r.busy().isEmpty());
    }

    List<ReplicaRecord> rows(String service) {
        return store.replicas().ofService(service);
    }

    Optional<ReplicaRecord> row(String service, int index) {
        return store.replicas().get(service, index);
    }

    /** @return the running containers of a service, by replica index */
    List<ContainerDetails> running(String service) {
        return runtime.running().stream().filter(c -> service.equals(c.labels().get(Labels.SERVICE)))
                .sorted(java.util.Comparator.comparingInt(c -> Labels.index(c.labels()).orElse(-1))).toList();
    }

    List<String> runningIds(String service) {
        return running(service).stream().map(ContainerDetails::id).toList();
    }

    /** Polls (no fixed sleep) until the condition holds, failing after a bounded wait. */
    static void eventually(String what, BooleanSupplier condition) {
        long end = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                fail("timed out after " + PATIENCE.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    @Override
    public void close() {
        reconcilers.forEach(Reconciler::close);
        store.close();
    }
}
