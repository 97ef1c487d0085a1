package dev.orchestrator.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.RegistryAuth;
import dev.orchestrator.store.ReplicaState;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Pulls by a node's reconciler over the fake runtime's registry. */
@Timeout(30)
class ImagePullsTest {
    private static final String PRIVATE = "registry.example.com/team/app:1.4";
    @TempDir
    Path dir;
    private NodeFixture f;
    private Reconciler reconciler;

    @BeforeEach
    void setUp() {
        f = new NodeFixture(dir);
        reconciler = f.reconciler();
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    private static ServiceSpec spec(String image, int replicas, String policy) {
        return spec("app", image, replicas, policy);
    }

    private static ServiceSpec spec(String name, String image, int replicas, String policy) {
        return new ServiceSpec(name, image, replicas, List.of(), null, null, Map.of(), List.of(), null, List.of(),
                null, null, List.of(), null, null, null, policy);
    }

    @Test
    void aNewRevisionsImageIsPulledBeforeTheRolloutReachesTheNode() {
        f.deploy(spec(NodeFixture.IMAGE, 1, null));
        f.pass(reconciler, "app");
        f.runtime.publish("web:2", null);
        f.store.services().put(spec("web:2", 1, null)); // revision 2
        f.store.assignments().put(new dev.orchestrator.store.Assignment("app", 0, NodeFixture.NODE, null,
                f.clock.instant(), 1)); // not reached yet

        f.pass(reconciler, "app");

        NodeFixture.eventually("the prefetch", () -> f.runtime.pulls().equals(List.of("web:2")));
        assertEquals(java.util.OptionalLong.of(1), Labels.revision(f.running("app").get(0).labels()),
                "nothing replaced: only the image is fetched");
    }

    @Test
    void aMissingImageIsPulledOnceForAllReplicasAndTold() {
        f.runtime.publish("web:2", null);
        f.deploy(spec("web:2", 3, null));

        f.pass(reconciler, "app");

        assertEquals(3, f.running("app").size());
        assertEquals(List.of("web:2"), f.runtime.pulls(), "one pull serves the three replicas");
        assertTrue(f.events.stream().anyMatch(e -> e.startsWith("image null: Pulling image web:2 on ")), f.events::toString);
        assertTrue(f.events.stream().anyMatch(e -> e.contains("Pulled image web:2 on ")), f.events::toString);
    }

    @Test
    void aPresentImageIsNotPulledUnlessThePolicyIsAlways() {
        f.deploy(spec(NodeFixture.IMAGE, 1, null));
        f.pass(reconciler, "app");
        assertEquals(List.of(), f.runtime.pulls());

        f.runtime.publish(NodeFixture.IMAGE, null);
        f.deploy(spec("fresh", NodeFixture.IMAGE, 1, "always"));
        f.pass(reconciler, "fresh");

        assertEquals(List.of(NodeFixture.IMAGE), f.runtime.pulls(), "always pulls before the new container");
    }

    @Test
    void neverDoesNotPull() {
        f.runtime.publish("web:2", null);
        f.deploy(spec("web:2", 1, "never"));

        f.pass(reconciler, "app");

        assertEquals(List.of(), f.runtime.pulls());
        assertTrue(f.row("app", 0).orElseThrow().message().startsWith("start failed: image web:2 is not present"),
                f.row("app", 0).orElseThrow().message());
    }

    @Test
    void anUnauthorizedPullIsAnExplainedPendingStateUntilCredentialsCome() {
        f.runtime.publish(PRIVATE, "s3cret-pw");
        f.deploy(spec(PRIVATE, 2, null));

        f.pass(reconciler, "app");

        var row = f.row("app", 0).orElseThrow();
        assertEquals(ReplicaState.PENDING, row.state());
        assertTrue(row.message().startsWith("pull failed: unauthorized"), row.message());
        assertEquals(0, f.running("app").size());
        assertTrue(f.events.stream().anyMatch(e -> e.contains("Pull of image " + PRIVATE + " failed on")),
                f.events::toString);

        f.auths.put("registry.example.com", new RegistryAuth("registry.example.com", "ci", "s3cret-pw"));
        f.clock.advance(RestartBackoff.CAP);
        f.pass(reconciler, "app");

        assertEquals(2, f.running("app").size());
        assertEquals("", f.row("app", 0).orElseThrow().message());
        assertTrue(f.events.stream().anyMatch(e -> e.contains("Pulling image " + PRIVATE + " on " + NodeFixture.NODE
                + " as ci")), f.events::toString);
        assertTrue(f.events.stream().noneMatch(e -> e.contains("s3cret-pw")), "no event shows the password");
    }

    @Test
    void newCredentialsEndTheBackoffOfAFailedPull() {
        f.runtime.publish(PRIVATE, "s3cret-pw");
        f.deploy(spec(PRIVATE, 1, null));
        f.pass(reconciler, "app");
        f.pass(reconciler, "app"); // a second failure: now it waits out a backoff
        assertTrue(f.row("app", 0).orElseThrow().message().contains("retry in"), f.row("app", 0).toString());

        f.auths.put("registry.example.com", new RegistryAuth("registry.example.com", "ci", "s3cret-pw"));
        reconciler.registriesChanged();
        f.pass(reconciler, "app");

        assertEquals(1, f.running("app").size(), "tried again without waiting: " + f.row("app", 0));
    }
}
