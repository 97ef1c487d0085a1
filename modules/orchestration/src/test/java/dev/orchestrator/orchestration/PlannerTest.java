package dev.orchestrator.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.store.ServiceRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlannerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private int ids;

    private static ServiceRecord service(int replicas, long revision, RestartPolicy policy) {
        var spec = new ServiceSpec("web", "img:1", replicas, null, null, null, null, null, policy, null, null);
        return new ServiceRecord(spec, revision, NOW, NOW);
    }

    private ContainerDetails container(int index, long revision, ContainerState state, int exit) {
        var labels = Labels.of("c1", "web", index, revision, "n1");
        return new ContainerDetails("id" + ids++, "web-" + index + ".x", "img:1", labels, state, exit, false,
                NOW.minusSeconds(100 - ids), state == ContainerState.RUNNING ? null : NOW, null, List.of());
    }

    private static Plan plan(ServiceRecord s, List<ContainerDetails> cs) {
        return Planner.plan("web", Optional.ofNullable(s), cs, i -> Optional.empty(), java.util.Set.of(), NOW);
    }

    private static List<String> kinds(Plan p) {
        return p.actions().stream().map(a -> a.getClass().getSimpleName() + a.index()).toList();
    }

    @Test
    void startsMissingReplicas() {
        assertEquals(List.of("Start0", "Start1", "Start2"), kinds(plan(service(3, 1, null), List.of())));
    }

    @Test
    void keepsRunningReplicasOfTheCurrentRevision() {
        var cs = List.of(container(0, 1, ContainerState.RUNNING, 0), container(1, 1, ContainerState.RUNNING, 0));
        Plan p = plan(service(2, 1, null), cs);
        assertTrue(p.converged());
    }

    @Test
    void scaleDownRemovesHighestIndexes() {
        var cs = new ArrayList<ContainerDetails>();
        for (int i = 0; i < 5; i++) {
            cs.add(container(i, 1, ContainerState.RUNNING, 0));
        }
        Plan p = plan(service(2, 1, null), cs);
        assertEquals(List.of("Keep0", "Keep1", "Remove2", "Remove3", "Remove4"), kinds(p));
        assertTrue(p.of(Action.Remove.class).stream().allMatch(r -> r.reason().equals("scaled down")));
    }

    @Test
    void exitedReplicaIsRestartedUnderAlways() {
        var cs = List.of(container(0, 1, ContainerState.EXITED, 137));
        assertEquals(List.of("Restart0"), kinds(plan(service(1, 1, RestartPolicy.ALWAYS), cs)));
    }

    @Test
    void restartPolicies() {
        var clean = container(0, 1, ContainerState.EXITED, 0);
        var failed = container(0, 1, ContainerState.EXITED, 1);
        assertEquals(List.of("Keep0"), kinds(plan(service(1, 1, RestartPolicy.ON_FAILURE), List.of(clean))));
        assertEquals(List.of("Restart0"), kinds(plan(service(1, 1, RestartPolicy.ON_FAILURE), List.of(failed))));
        assertEquals(List.of("Keep0"), kinds(plan(service(1, 1, RestartPolicy.NEVER), List.of(failed))));
        var created = container(0, 1, ContainerState.CREATED, 0);
        assertEquals(List.of("Restart0"), kinds(plan(service(1, 1, RestartPolicy.NEVER), List.of(created))));
    }

    @Test
    void backoffTurnsRestartIntoWait() {
        var cs = List.of(container(0, 1, ContainerState.EXITED, 1));
        Instant until = NOW.plus(Duration.ofSeconds(8));
        Plan p = Planner.plan("web", Optional.of(service(1, 1, null)), cs, i -> Optional.of(until), java.util.Set.of(), NOW);
        Action.Wait w = assertInstanceOf(Action.Wait.class, p.actions().getFirst());
        assertEquals(until, w.until());
        Plan later = Planner.plan("web", Optional.of(service(1, 1, null)), cs, i -> Optional.of(until), java.util.Set.of(),
                until.plusMillis(1));
        assertEquals(List.of("Restart0"), kinds(later));
    }

    @Test
    void newRevisionReplacesOneReplicaAtATime() {
        var cs = List.of(container(0, 1, ContainerState.RUNNING, 0), container(1, 1, ContainerState.RUNNING, 0),
                container(2, 1, ContainerState.RUNNING, 0));
        assertEquals(List.of("Replace0", "Keep1", "Keep2"), kinds(plan(service(3, 2, null), cs)));
    }

    @Test
    void failedReplacementBacksOffWhileTheOldOneServes() {
        var old = container(0, 1, ContainerState.RUNNING, 0);
        Instant until = NOW.plusSeconds(4);
        Plan p = Planner.plan("web", Optional.of(service(1, 2, null)), List.of(old), i -> Optional.of(until),
                java.util.Set.of(), NOW);
        Action.Wait w = assertInstanceOf(Action.Wait.class, p.actions().getFirst());
        assertEquals(old, w.old());
    }

    @Test
    void duplicatesKeepTheRunningCurrentOne() {
        var old = container(0, 1, ContainerState.RUNNING, 0);
        var current = container(0, 2, ContainerState.RUNNING, 0);
        var dead = container(0, 2, ContainerState.EXITED, 1);
        Plan p = plan(service(1, 2, null), List.of(old, dead, current));
        assertEquals(2, p.of(Action.Remove.class).size());
        assertEquals(current, p.of(Action.Keep.class).getFirst().container());
    }

    @Test
    void deletedServiceRemovesEverything() {
        var cs = List.of(container(0, 1, ContainerState.RUNNING, 0), container(1, 1, ContainerState.EXITED, 0));
        Plan p = plan(null, cs);
        assertEquals(List.of("Remove0", "Remove1"), kinds(p));
        assertTrue(p.of(Action.Remove.class).stream().allMatch(r -> r.reason().equals("service removed")));
    }

    @Test
    void containerWithoutIndexIsRemoved() {
        var stray = new ContainerDetails("x", "web-x", "img:1", Map.of(Labels.SERVICE, "web"), ContainerState.RUNNING,
                0, false, NOW, null, null, List.of());
        Plan p = plan(service(1, 1, null), List.of(stray));
        assertEquals(List.of("Start0", "Remove" + Integer.MAX_VALUE), kinds(p));
    }

    @Test
    void unhealthyReplicaIsRestartedUnlessThePolicyIsNever() {
        var sick = container(0, 1, ContainerState.RUNNING, 0);
        var fine = container(1, 1, ContainerState.RUNNING, 0);
        Plan p = Planner.plan("web", Optional.of(service(2, 1, RestartPolicy.ALWAYS)), List.of(sick, fine),
                i -> Optional.empty(), java.util.Set.of(sick.id()), NOW);
        assertEquals(List.of("Restart0", "Keep1"), kinds(p));
        assertTrue(p.of(Action.Restart.class).getFirst().unhealthy());
        Plan never = Planner.plan("web", Optional.of(service(2, 1, RestartPolicy.NEVER)), List.of(sick, fine),
                i -> Optional.empty(), java.util.Set.of(sick.id()), NOW);
        assertTrue(never.converged());
    }

    @Test
    void backoffDelaysDoubleToACap() {
        assertEquals(Duration.ZERO, RestartBackoff.delay(1));
        assertEquals(Duration.ofSeconds(1), RestartBackoff.delay(2));
        assertEquals(Duration.ofSeconds(8), RestartBackoff.delay(5));
        assertEquals(RestartBackoff.CAP, RestartBackoff.delay(30));
        var b = new RestartBackoff();
        assertEquals(Duration.ZERO, b.recordFailure("web", 0, NOW));
        assertTrue(b.notBefore("web", 0).isEmpty());
        assertEquals(Duration.ofSeconds(1), b.recordFailure("web", 0, NOW));
        assertEquals(Optional.of(NOW.plusSeconds(1)), b.notBefore("web", 0));
        b.reset("web", 0);
        assertEquals(0, b.failures("web", 0));
    }
}
