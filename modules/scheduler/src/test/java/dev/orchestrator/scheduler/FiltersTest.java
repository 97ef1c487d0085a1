package dev.orchestrator.scheduler;

import static dev.orchestrator.scheduler.Nodes.CPU;
import static dev.orchestrator.scheduler.Nodes.GIB;
import static dev.orchestrator.scheduler.Nodes.allocated;
import static dev.orchestrator.scheduler.Nodes.node;
import static dev.orchestrator.scheduler.Nodes.running;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orchestrator.api.NodeStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each filter alone: a table of node, request, expected reason (null = accepted). */
class FiltersTest {
    private static final Request SMALL = Request.of("api", 0, 512, GIB);
    private static final Request NONE = Request.of("api", 0, 0, 0);

    static Stream<Arguments> cases() {
        return Stream.of(
                row("ready node", new NodeReady(), node("n1"), SMALL, null),
                row("down node", new NodeReady(), node("n1").withStatus(NodeStatus.DOWN), SMALL, "down"),
                row("not cordoned", new NotCordoned(), node("n1"), SMALL, null),
                row("cordoned", new NotCordoned(), node("n1").withCordoned(true), SMALL, "cordoned"),

                row("fits empty node", new ResourcesFit(), node("n1"), SMALL, null),
                row("fits exactly", new ResourcesFit(), allocated("n1", 3 * CPU + 512, 7 * GIB), SMALL, null),
                row("one share short", new ResourcesFit(), allocated("n1", 3 * CPU + 513, 0), SMALL,
                        "insufficient cpu"),
                row("one byte short", new ResourcesFit(), allocated("n1", 0, 7 * GIB + 1), SMALL,
                        "insufficient memory"),
                row("both short: cpu first", new ResourcesFit(), allocated("n1", 4 * CPU, 8 * GIB), SMALL,
                        "insufficient cpu"),
                row("request larger than node", new ResourcesFit(), node("n1"), Request.of("api", 0, 0, 9 * GIB),
                        "insufficient memory"),
                row("0 request fits a full node", new ResourcesFit(), allocated("n1", 4 * CPU, 8 * GIB), NONE, null),
                row("0 request fits an over-committed node", new ResourcesFit(),
                        allocated("n1", 8 * CPU, 16 * GIB), NONE, null),
                row("0 request fits a node of no capacity", new ResourcesFit(), NodeState.ready("n1", 0, 0), NONE,
                        null),

                row("no constraint", new Constraints(), node("n1"), SMALL, null),
                row("label matches", new Constraints(), node("n1", Map.of("disk", "ssd")),
                        SMALL.withConstraints(List.of("node.labels.disk==ssd")), null),
                row("label differs", new Constraints(), node("n1", Map.of("disk", "hdd")),
                        SMALL.withConstraints(List.of("node.labels.disk==ssd")),
                        "constraint not met: node.labels.disk==ssd"),
                row("label missing fails ==", new Constraints(), node("n1"),
                        SMALL.withConstraints(List.of("node.labels.disk == ssd")),
                        "constraint not met: node.labels.disk==ssd"),
                row("label missing passes !=", new Constraints(), node("n1"),
                        SMALL.withConstraints(List.of("node.labels.zone!=b")), null),
                row("label equal fails !=", new Constraints(), node("n1", Map.of("zone", "b")),
                        SMALL.withConstraints(List.of("node.labels.zone!=b")),
                        "constraint not met: node.labels.zone!=b"),
                row("first failed constraint named", new Constraints(), node("n1", Map.of("disk", "ssd", "zone", "b")),
                        SMALL.withConstraints(List.of("node.labels.disk==ssd", "node.labels.zone!=b", "node.name==n2")),
                        "constraint not met: node.labels.zone!=b"),
                row("node name matches", new Constraints(), node("n1"),
                        SMALL.withConstraints(List.of("node.name==n1")), null),
                row("node name differs", new Constraints(), node("n2"),
                        SMALL.withConstraints(List.of("node.name==n1")), "constraint not met: node.name==n1"),
                row("node id is the name", new Constraints(), node("n2"),
                        SMALL.withConstraints(List.of("node.id!=n2")), "constraint not met: node.id!=n2"),
                row("values are case-sensitive", new Constraints(), node("n1", Map.of("disk", "SSD")),
                        SMALL.withConstraints(List.of("node.labels.disk==ssd")),
                        "constraint not met: node.labels.disk==ssd"),

                row("no anti-affinity asked", new AntiAffinity(), running("n1", "api", 3), SMALL, null),
                row("one per node, none here", new AntiAffinity(), node("n1"), SMALL.withMaxPerNode(1), null),
                row("one per node, other service here", new AntiAffinity(), running("n1", "web", 1),
                        SMALL.withMaxPerNode(1), null),
                row("one per node, one here", new AntiAffinity(), running("n1", "api", 1), SMALL.withMaxPerNode(1),
                        "spread: replica of api already here"),
                row("two per node, one here", new AntiAffinity(), running("n1", "api", 1), SMALL.withMaxPerNode(2),
                        null),
                row("two per node, two here", new AntiAffinity(), running("n1", "api", 2), SMALL.withMaxPerNode(2),
                        "spread: 2 replicas of api already here"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsWithItsReason(String name, Filter filter, NodeState node, Request request, String reason) {
        assertEquals(Optional.ofNullable(reason), filter.reject(node, request));
    }

    static Stream<Arguments> applicability() {
        return Stream.of(
                Arguments.of(new NodeReady(), SMALL, true),
                Arguments.of(new NotCordoned(), SMALL, true),
                Arguments.of(new ResourcesFit(), NONE, true),
                Arguments.of(new AntiAffinity(), SMALL, false),
                Arguments.of(new AntiAffinity(), SMALL.withMaxPerNode(1), true),
                Arguments.of(new Constraints(), SMALL, false),
                Arguments.of(new Constraints(), SMALL.withConstraints(List.of("node.name==n1")), true));
    }

    @ParameterizedTest(name = "{0} applies to {1}: {2}")
    @MethodSource("applicability")
    void skipsWhatCannotRejectAnything(Filter filter, Request request, boolean applies) {
        assertEquals(applies, filter.appliesTo(request));
    }

    private static Arguments row(String name, Filter filter, NodeState node, Request request, String reason) {
        return Arguments.of(name, filter, node, request, reason);
    }
}
