package dev.orchestrator.app;

import static dev.orchestrator.app.Fixtures.CLOCK;
import static dev.orchestrator.app.Fixtures.assertRefused;
import static dev.orchestrator.app.Fixtures.spec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.store.EventQuery;
import dev.orchestrator.store.Store;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployTest {
    @TempDir
    Path dir;
    private Store store;
    private final Fixtures.Hooks hooks = new Fixtures.Hooks();
    private Deploy deploy;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        deploy = new Deploy(store, hooks, CLOCK);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private List<String> messages() {
        return store.events().query(EventQuery.latest()).stream().map(Event::message).toList();
    }

    @Test
    void createsThenUpdatesAndNotifiesEachTime() {
        Deploy.Result first = deploy.run(new Deploy.Command(spec("web", 2)));
        assertTrue(first.created());
        assertEquals(1, first.state().service().revision());
        assertEquals(spec("web", 2), store.services().get("web").orElseThrow().spec());

        Deploy.Result same = deploy.run(new Deploy.Command(spec("web", 2)));
        assertFalse(same.created());
        assertEquals(1, same.state().service().revision());

        Deploy.Result updated = deploy.run(new Deploy.Command(Fixtures.withImage(spec("web", 2), "img:2")));
        assertFalse(updated.created());
        assertEquals(2, updated.state().service().revision());
        assertEquals(List.of("Service web deployed (2 x img:1, revision 1)", "Service web unchanged (2 x img:1, revision 1)",
                "Service web updated (2 x img:2, revision 2)"), messages());
        assertEquals(Fixtures.T0, store.events().query(EventQuery.latest()).getFirst().timestamp());
        assertEquals(List.of("desired web", "desired web", "desired web"), hooks.calls);
    }

    @Test
    void aServiceMayKeepThePortItPublishes() {
        deploy.run(new Deploy.Command(spec("web", 1, new PortMapping(80, 9000, "tcp"))));
        hooks.takenPorts.add(9000); // by its own load balancer now
        hooks.calls.clear();
        deploy.run(new Deploy.Command(Fixtures.withImage(spec("web", 1, new PortMapping(80, 9000, "tcp")), "img:2")));
        assertEquals(List.of("desired web"), hooks.calls);
    }

    @Test
    void refusesAProbeThatIsNotInstalled() {
        hooks.probes.remove("tcp");
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks,
                () -> deploy.run(new Deploy.Command(Fixtures.withProbe(spec("web", 1), "tcp"))), "probe plugin 'tcp'");
    }

    @Test
    void refusesAStrategyThatIsNotInstalled() {
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> deploy.run(new Deploy.Command(
                Fixtures.withPlacement(spec("web", 1), List.of(), "random"))), "strategy plugin 'random'");
    }

    @Test
    void refusesABalancingPolicyThatIsNotInstalled() {
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> deploy.run(new Deploy.Command(
                Fixtures.withLoadBalancer(spec("web", 1), "sticky"))),
                "load_balancer 'sticky' is not an installed balancing-policy plugin; available: least-connections,"
                        + " round-robin");
    }

    @Test
    void acceptsAnInstalledBalancingPolicy() {
        deploy.run(new Deploy.Command(Fixtures.withLoadBalancer(spec("web", 1), "least-connections")));
        assertEquals("least-connections", store.services().get("web").orElseThrow().spec().loadBalancer());
    }

    @Test
    void refusesAMalformedConstraint() {
        var spec = Fixtures.withPlacement(spec("web", 1), List.of("node.labels.disk=ssd"), null);
        assertRefused(ErrorCode.INVALID_ARGUMENT, store, hooks, () -> deploy.run(new Deploy.Command(spec)),
                "node.labels.disk=ssd");
    }

    @Test
    void refusesTheApiPort() {
        assertRefused(ErrorCode.CONFLICT, store, hooks, () -> deploy.run(new Deploy.Command(spec("web", 1,
                new PortMapping(80, Fixtures.API_PORT, "tcp")))), "the orchestrator's API listens there");
    }

    @Test
    void refusesAPortAnotherServicePublishes() {
        deploy.run(new Deploy.Command(spec("api", 1, new PortMapping(80, 9000, "tcp"))));
        hooks.calls.clear();
        assertRefused(ErrorCode.CONFLICT, store, hooks, () -> deploy.run(new Deploy.Command(spec("web", 1,
                new PortMapping(81, 9000, "tcp")))), "service api publishes it");
    }

    @Test
    void refusesAPortAnotherProgramHolds() {
        hooks.takenPorts.add(9000);
        assertRefused(ErrorCode.CONFLICT, store, hooks, () -> deploy.run(new Deploy.Command(spec("web", 1,
                new PortMapping(80, 9000, "tcp")))), "another program on this node listens there");
    }

    @Test
    void refusesAnImageThatIsNotThereWhenItMayNotBePulled() {
        deploy.run(new Deploy.Command(spec("web", 1)));
        hooks.calls.clear();
        hooks.imageAvailable = false;
        ServiceSpec never = Fixtures.withPullPolicy(Fixtures.withImage(spec("web", 1), "img:2"), "never");
        assertRefused(ErrorCode.UNSCHEDULABLE, store, hooks, () -> deploy.run(new Deploy.Command(never)),
                "image img:2 is not present on any ready node and pull_policy is never");
    }

    @Test
    void acceptsAnImageThatIsNotThereYetWhenNodesPullIt() {
        hooks.imageAvailable = false;
        deploy.run(new Deploy.Command(Fixtures.withImage(spec("web", 1), "registry.example.com/img:2")));
        assertEquals("registry.example.com/img:2", store.services().get("web").orElseThrow().spec().image());
    }
}
