package dev.orchestrator.orchestration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.store.Assignment;
import dev.orchestrator.store.ServiceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The planner of a node among several: it runs its own replicas, holds those moving off it, removes the rest. */
class PlannerAssignedTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final ContainerState RUN = ContainerState.RUNNING;
    private static final ContainerState EXIT = ContainerState.EXITED;

    /** A container: its replica index, the revision it was made from, its state, whether it failed its health check. */
    record C(int index, long revision, ContainerState state, boolean unhealthy) {
        static C of(int index, long revision, ContainerState state) {
            return new C(index, revision, state, false);
        }
    }

    private static ServiceRecord service(int replicas, long revision) {
        var spec = new ServiceSpec("web", "img:" + revision, replicas, null, null, null, null, null,
                RestartPolicy.ALWAYS, null, null);
        return new ServiceRecord(spec, revision, NOW, NOW);
    }

    /** Containers in the given order; each later one started later. */
    private static List<ContainerDetails> containers(List<C> cs) {
        var out = new ArrayList<ContainerDetails>();
        for (int k = 0; k < cs.size(); k++) {
            C c = cs.get(k);
            out.add(new ContainerDetails("id" + k, "web-" + c.index() + "." + k, "img:" + c.revision(),
                    Labels.of("c1", "web", c.index(), c.revision(), "n1"), c.state(), c.state() == EXIT ? 1 : 0, false,
                    NOW.minusSeconds(100 - k), c.state() == RUN ? null : NOW.minusSeconds(50), null, List.of()));
        }
        return out;
    }

    private static Assigned assigned(Set<Integer> runs, Set<Integer> holds) {
        return new Assigned(runs, holds, false);
    }

    /** Each action as kind, index and, for a removal, its reason; a kept or replaced container by its id. */
    private static List<String> describe(Plan p) {
        return p.actions().stream().map(a -> switch (a) {
            case Action.Remove r -> "Remove" + r.index() + "(" + r.reason() + ")";
            case Action.Keep k -> "Keep" + k.index() + "[" + k.container().id() + "]";
            case Action.Replace r -> "Replace" + r.index() + "[" + r.old().id() + "]";
            default -> a.getClass().getSimpleName() + a.index();
        }).toList();
    }

    static Stream<Arguments> cases() {
        Set<Integer> none = Set.of();
        return Stream.of(
                Arguments.of("runs all of a new service", assigned(Set.of(0, 1, 2), none), List.of(), false,
                        List.of("Start0", "Start1", "Start2")),
                Arguments.of("runs one of a new service", assigned(Set.of(1), none), List.of(), false,
                        List.of("Start1")),
                Arguments.of("a running container of a replica assigned elsewhere goes",
                        assigned(Set.of(0), none), List.of(C.of(0, 2, RUN), C.of(1, 2, RUN)), false,
                        List.of("Keep0[id0]", "Remove1(moved to another node)")),
                Arguments.of("an ended container of a replica assigned elsewhere goes", assigned(none, none),
                        List.of(C.of(2, 2, EXIT)), false, List.of("Remove2(moved to another node)")),
                Arguments.of("a held replica of an old revision is kept, not replaced", assigned(none, Set.of(1)),
                        List.of(C.of(1, 1, RUN)), false, List.of("Keep1[id0]")),
                Arguments.of("a held replica that ended is not restarted", assigned(none, Set.of(1)),
                        List.of(C.of(1, 2, EXIT)), false, List.of("Remove1(moved to another node)")),
                Arguments.of("a held replica that failed its health check is not restarted",
                        assigned(none, Set.of(0)), List.of(new C(0, 2, RUN, true)), false, List.of("Keep0[id0]")),
                Arguments.of("a held replica in backoff is kept", assigned(none, Set.of(0)),
                        List.of(C.of(0, 1, RUN)), true, List.of("Keep0[id0]")),
                Arguments.of("a held replica without a container is not started", assigned(none, Set.of(1)),
                        List.of(), false, List.of()),
                Arguments.of("of two held containers the running current one is kept", assigned(none, Set.of(1)),
                        List.of(C.of(1, 1, RUN), C.of(1, 2, RUN), C.of(1, 2, EXIT)), false,
                        List.of("Keep1[id1]", "Remove1(duplicate)", "Remove1(duplicate)")),
                Arguments.of("an own replica the rollout has not reached yet keeps its old revision",
                        new Assigned(Set.of(0, 1), none, false, java.util.Map.of(1, 1L)),
                        List.of(C.of(0, 1, RUN), C.of(1, 1, RUN)), false, List.of("Replace0[id0]", "Keep1[id1]")),
                Arguments.of("own replicas the rollout reached are replaced together",
                        assigned(Set.of(0, 1), none), List.of(C.of(0, 1, RUN), C.of(1, 1, RUN)), false,
                        List.of("Replace0[id0]", "Replace1[id1]")),
                Arguments.of("a held replica does not hold back the replacement of an own one",
                        assigned(Set.of(1), Set.of(0)), List.of(C.of(0, 1, RUN), C.of(1, 1, RUN)), false,
                        List.of("Keep0[id0]", "Replace1[id1]")),
                Arguments.of("an own ended replica is restarted", assigned(Set.of(2), none),
                        List.of(C.of(2, 2, EXIT)), false, List.of("Restart2")),
                Arguments.of("an own replica in backoff waits", assigned(Set.of(2), none),
                        List.of(C.of(2, 2, EXIT)), true, List.of("Wait2")),
                Arguments.of("an own unhealthy replica is restarted", assigned(Set.of(0), none),
                        List.of(new C(0, 2, RUN, true)), false, List.of("Restart0")),
                Arguments.of("an own duplicate goes", assigned(Set.of(0), none),
                        List.of(C.of(0, 2, EXIT), C.of(0, 2, RUN)), false,
                        List.of("Remove0(duplicate)", "Keep0[id1]")),
                Arguments.of("beyond the count everything goes, held or not", assigned(none, Set.of(3)),
                        List.of(C.of(3, 2, RUN), C.of(4, 2, RUN)), false,
                        List.of("Remove3(scaled down)", "Remove4(scaled down)")),
                Arguments.of("a node alone runs everything", Assigned.ALL,
                        List.of(C.of(0, 2, RUN), C.of(2, 2, EXIT)), false,
                        List.of("Keep0[id0]", "Start1", "Restart2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void plansOnlyWhatTheNodeRunsAndKeepsWhatItHolds(String desc, Assigned assigned, List<C> cs, boolean backingOff,
                                                     List<String> expected) {
        List<ContainerDetails> containers = containers(cs);
        Set<String> unhealthy = new HashSet<>();
        for (int k = 0; k < cs.size(); k++) {
            if (cs.get(k).unhealthy()) {
                unhealthy.add(containers.get(k).id());
            }
        }
        Optional<Instant> until = backingOff ? Optional.of(NOW.plusSeconds(5)) : Optional.empty();

        Plan p = Planner.plan("web", Optional.of(service(3, 2)), containers, assigned, i -> until, unhealthy, NOW);

        assertEquals(expected, describe(p));
    }

    @Test
    void aDeletedServiceLosesEveryContainerWhateverTheAssignments() {
        List<ContainerDetails> cs = containers(List.of(C.of(0, 1, RUN), C.of(1, 1, RUN), C.of(2, 1, EXIT)));

        Plan p = Planner.plan("web", Optional.empty(), cs, assigned(Set.of(0), Set.of(1)), i -> Optional.empty(),
                Set.of(), NOW);

        assertEquals(List.of("Remove0(service removed)", "Remove1(service removed)", "Remove2(service removed)"),
                describe(p));
    }

    @Test
    void aHeldReplicaIsConvergedAsLongAsItRuns() {
        List<ContainerDetails> cs = containers(List.of(C.of(0, 1, RUN)));

        assertTrue(Planner.plan("web", Optional.of(service(1, 2)), cs, assigned(Set.of(), Set.of(0)),
                i -> Optional.empty(), Set.of(cs.getFirst().id()), NOW).converged());
        assertFalse(Planner.plan("web", Optional.of(service(1, 2)), cs, assigned(Set.of(0), Set.of()),
                i -> Optional.empty(), Set.of(), NOW).converged(), "its own replica of an old revision is replaced");
    }

    @Test
    void theOldOverloadIsTheNodeAloneRunningEverything() {
        List<ContainerDetails> cs = containers(List.of(C.of(0, 1, RUN), C.of(1, 2, EXIT), C.of(5, 2, RUN)));
        ServiceRecord s = service(3, 2);

        assertEquals(Planner.plan("web", Optional.of(s), cs, Assigned.ALL, i -> Optional.empty(), Set.of(), NOW),
                Planner.plan("web", Optional.of(s), cs, i -> Optional.empty(), Set.of(), NOW));
    }

    static Stream<Arguments> nodes() {
        return Stream.of(
                Arguments.of("n1", Set.of(0), Set.of(1)),
                Arguments.of("n2", Set.of(1, 2), Set.of(3)),
                Arguments.of("n3", Set.of(3), Set.of()),
                Arguments.of("n4", Set.of(), Set.of()));
    }

    @ParameterizedTest(name = "{0} runs {1}, holds {2}")
    @MethodSource("nodes")
    void assignedOfANodeSplitsWhatItRunsFromWhatItHolds(String node, Set<Integer> runs, Set<Integer> holds) {
        List<Assignment> assignments = List.of(new Assignment("web", 0, "n1", null, NOW, 0),
                new Assignment("web", 1, "n2", "n1", NOW, 0), new Assignment("web", 2, "n2", null, NOW, 0),
                new Assignment("web", 3, "n3", "n2", NOW, 0));

        Assigned a = Assigned.of(node, assignments);

        assertEquals(new Assigned(runs, holds, false), a);
        for (int i = 0; i < 5; i++) {
            assertEquals(runs.contains(i), a.runs(i), node + " runs " + i);
            assertEquals(holds.contains(i), a.holds(i), node + " holds " + i);
        }
    }

    @Test
    void allRunsEveryIndexAndHoldsNone() {
        Set<Integer> indexes = Stream.of(0, 1, 999).collect(Collectors.toSet());
        for (int i : indexes) {
            assertTrue(Assigned.ALL.runs(i));
            assertFalse(Assigned.ALL.holds(i));
        }
        assertFalse(new Assigned(Set.of(1), Set.of(1), true).holds(1), "a node alone holds nothing");
    }
}
