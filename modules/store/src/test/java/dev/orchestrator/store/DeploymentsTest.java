package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Deployments, assignments' revisions, and revisions' specs as the rollout code uses them. */
class DeploymentsTest {
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir);
        store.services().put(Fixtures.minimal("web", 3));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aServiceKeepsItsLatestDeploymentWithStatusAndMessage() {
        var d = new Deployment("web", 2, 1, Deployment.Status.RUNNING, false, "started", T0, T0);
        store.deployments().put(d);
        store.deployments().put(d.with(Deployment.Status.ROLLED_BACK, "rollback: web-0 failed", T0.plusSeconds(3)));

        Deployment read = store.deployments().get("web").orElseThrow();
        assertEquals(Deployment.Status.ROLLED_BACK, read.status());
        assertEquals("rollback: web-0 failed", read.message());
        assertEquals(T0.plusSeconds(3), read.updatedAt());
        assertEquals(List.of(read), store.deployments().all());
    }

    @Test
    void aDeploymentGoesWithItsServiceAndNeedsIt() {
        store.deployments().put(new Deployment("web", 1, 0, Deployment.Status.SUCCEEDED, true, "", T0, T0));
        store.services().delete("web");
        assertEquals(Optional.empty(), store.deployments().get("web"));
        var e = assertThrows(OrchestratorException.class, () -> store.deployments().put(
                new Deployment("web", 1, 0, Deployment.Status.RUNNING, false, "", T0, T0)));
        assertEquals(ErrorCode.NOT_FOUND, e.code());
    }

    @Test
    void anAssignmentKeepsTheRevisionItRuns() {
        store.assignments().put(new Assignment("web", 0, "node-1", null, T0, 1));
        Assignment a = store.assignments().get("web", 0).orElseThrow();
        assertEquals(1, a.revision());
        assertEquals(1, a.target(5));
        assertEquals(5, a.withRevision(0).target(5), "0 is the service's current revision");
        assertEquals(3, a.withRevision(3).settled().revision(), "settling a move keeps the revision");
    }

    @Test
    void changingOnlyTheUpdateSettingsMakesNoNewRevision() {
        ServiceSpec spec = Fixtures.minimal("web", 3);
        long before = store.services().get("web").orElseThrow().revision();
        ServiceRecord after = store.services().put(spec.withUpdate(new UpdateConfig(3, Duration.ofSeconds(2),
                null, null, "pause", null)));
        assertEquals(before, after.revision());
        assertEquals(3, store.services().get("web").orElseThrow().spec().effectiveUpdate().effectiveParallelism(),
                "the settings are stored");
    }

    @Test
    void changingOnlyStopAfterDisconnectMakesNoNewRevision() {
        ServiceSpec spec = Fixtures.minimal("web", 3);
        long before = store.services().get("web").orElseThrow().revision();
        ServiceRecord after = store.services().put(spec.withStopAfterDisconnect(Duration.ofSeconds(10)));
        assertEquals(before, after.revision(), "it replaces no container");
        assertEquals(Duration.ofSeconds(10), store.services().get("web").orElseThrow().spec().stopAfterDisconnect(),
                "but it is stored, and reaches the nodes with the spec");
    }

    @Test
    void anEarlierRevisionsSpecIsReadAndMirrored() {
        ServiceSpec v1 = store.services().get("web").orElseThrow().spec();
        store.services().mirrorRevision("web", 7, v1.withReplicas(1));
        assertTrue(store.services().revision("web", 7).isPresent());
        assertEquals(3, store.services().revision("web", 7).orElseThrow().replicas(),
                "with the current replica count");
        assertEquals(Optional.empty(), store.services().revision("web", 42));
    }
}
