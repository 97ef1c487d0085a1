package dev.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProtocolTest {
    static final Protocol.Heartbeat HEARTBEAT = new Protocol.Heartbeat("n1", null, "10.0.0.1", "http://10.0.0.1:7947",
            Map.of("disk", "ssd", "zone", "b"), 4, 8L << 30, "27.0.3",
            List.of(new Protocol.Replica("web", 0, "abc123", "web-0.x", 3, "running", "healthy", 2, null, 30001, "",
                            1_767_225_600_123L),
                    new Protocol.Replica("web", 1, null, null, 3, "exited", "none", 0, 137, 0, "killed",
                            1_767_225_600_456L)),
            List.of(new Protocol.Event(1_767_225_600_000_001L, 1_767_225_600_000L, "restart", "web", "web-1",
                            "web-1 exited (137)"),
                    new Protocol.Event(1_767_225_600_000_002L, 1_767_225_600_001L, "node", null, null, "hello")),
            List.of(new Protocol.Backend("web", 80, "tcp", "web-0", "10.0.0.1", 30001)),
            new Protocol.Usage(3, 0.75, 123_456_789L));

    static final Protocol.Reply REPLY = new Protocol.Reply("cid-1", "ready", "draining", 1_767_225_600_000_002L,
            "server-key");

    static final Protocol.Desired DESIRED = new Protocol.Desired(1_767_225_600_042L, "cid-1",
            List.of(new Protocol.Service("web", "{\"image\":\"img:1\"}", 2, 7, 1_767_225_600_000L, 1_767_225_601_000L, java.util.List.of())),
            List.of(new Protocol.Assign("web", 0, "n1", null, 1_767_225_600_000L, 0),
                    new Protocol.Assign("web", 1, "n2", "n1", 1_767_225_600_500L, 0)),
            List.of(new Protocol.Backend("web", 80, "udp", "web-1", "10.0.0.2", 40001)));

    static Stream<Arguments> messages() {
        return Stream.of(
                Arguments.of(HEARTBEAT, Protocol.Heartbeat.class),
                Arguments.of(new Protocol.Heartbeat("n2", null, "10.0.0.2", null, null, 0, 0, null, null, null, null, null),
                        Protocol.Heartbeat.class),
                Arguments.of(REPLY, Protocol.Reply.class),
                Arguments.of(new Protocol.Reply("cid-1", "ready", "active", 0, null), Protocol.Reply.class),
                Arguments.of(DESIRED, Protocol.Desired.class),
                Arguments.of(new Protocol.Desired(0, null, null, null, null), Protocol.Desired.class),
                Arguments.of(new Protocol.ImageCheck(true), Protocol.ImageCheck.class),
                Arguments.of(new Protocol.ImageCheck(false), Protocol.ImageCheck.class));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("messages")
    void messagesSurviveWriteThenRead(Object message, Class<?> type) {
        byte[] json = Protocol.write(message);

        assertEquals(message, Protocol.read(json, type));
    }

    @Test
    void theJsonIsSnakeCaseWithoutNulls() {
        String hb = new String(Protocol.write(HEARTBEAT), StandardCharsets.UTF_8);
        String reply = new String(Protocol.write(REPLY), StandardCharsets.UTF_8);
        String desired = new String(Protocol.write(DESIRED), StandardCharsets.UTF_8);

        for (String key : List.of("\"agent_url\"", "\"memory_bytes\"", "\"runtime_version\"", "\"container_id\"",
                "\"restart_count\"", "\"host_port\"", "\"updated_at\"", "\"container_port\"",
                "\"memory_available_bytes\"")) {
            assertTrue(hb.contains(key), key + " in " + hb);
        }
        for (String key : List.of("\"cluster_id\"", "\"events_acked\"", "\"server_key\"")) {
            assertTrue(reply.contains(key), key + " in " + reply);
        }
        for (String key : List.of("\"index\"", "\"cluster_id\"", "\"spec_json\"", "\"previous_node\"",
                "\"assigned_at\"", "\"created_at\"", "\"container_port\"")) {
            assertTrue(desired.contains(key), key + " in " + desired);
        }
        assertFalse(hb.contains("null"), hb);
        assertFalse(desired.contains("null"), desired);
        assertFalse(reply.contains("services"), "a reply no longer carries the desired state: " + reply);
        assertEquals("{\"present\":true}", new String(Protocol.write(new Protocol.ImageCheck(true)),
                StandardCharsets.UTF_8));
    }

    @Test
    void unknownFieldsAreIgnoredAndMissingListsAreEmpty() {
        var hb = Protocol.read("{\"node\":\"n1\",\"address\":\"a\",\"cpus\":2,\"future\":{\"x\":1}}"
                .getBytes(StandardCharsets.UTF_8), Protocol.Heartbeat.class);

        assertEquals(new Protocol.Heartbeat("n1", null, "a", null, Map.of(), 2, 0, null, List.of(), List.of(), List.of(),
                null), hb);
    }

    @Test
    void aDesiredStateWithoutListsHasEmptyOnes() {
        var d = Protocol.read("{\"index\":7,\"cluster_id\":\"c\",\"future\":[1]}".getBytes(StandardCharsets.UTF_8),
                Protocol.Desired.class);

        assertEquals(new Protocol.Desired(7, "c", List.of(), List.of(), List.of()), d);
    }

    @Test
    void logEntriesAreReadAsAnArrayAndKeepTheirNanoseconds() {
        var lines = new LogEntry[] {new LogEntry("2026-01-01T00:00:00.123456789Z", "web-0", "n1", "stdout", "a"),
            new LogEntry("2026-01-01T00:00:01Z", "web-1", "n2", "stderr", "b")};

        LogEntry[] back = Protocol.read(Protocol.write(lines), LogEntry[].class);
        assertEquals(List.of(lines), List.of(back));
        assertEquals(123_456_789, back[0].instant().getNano());
        assertEquals("{\"caught_up\":true}", new String(Protocol.write(new Protocol.LogMark(true)),
                StandardCharsets.UTF_8));
    }

    private static final List<Class<?>> ALL = List.of(Protocol.Heartbeat.class, Protocol.Reply.class,
            Protocol.Desired.class, Protocol.ImageCheck.class);

    static Stream<Arguments> garbage() {
        return Stream.of(
                Arguments.of("empty", "", ALL),
                Arguments.of("not json", "hello", ALL),
                Arguments.of("truncated", "{\"node\":\"n1\"", ALL),
                Arguments.of("an array", "[1,2]", ALL),
                Arguments.of("a number", "42", ALL),
                Arguments.of("the null literal", "null", ALL),
                Arguments.of("a wrong type", "{\"cpus\":\"many\",\"index\":\"new\",\"present\":[]}", ALL),
                // Only the messages with such lists.
                Arguments.of("a null element", "{\"replicas\":[null],\"services\":[null]}",
                        List.of(Protocol.Heartbeat.class, Protocol.Desired.class)),
                Arguments.of("binary", "\u0000\u0001\u0002", ALL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("garbage")
    void readingGarbageIsInvalidArgument(String desc, String text, List<Class<?>> types) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (Class<?> type : types) {
            if (type == Protocol.Reply.class && desc.equals("a wrong type")) {
                continue; // a Reply has none of those fields
            }
            var e = assertThrows(OrchestratorException.class, () -> Protocol.read(bytes, type), type.getSimpleName());
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertTrue(e.getMessage().startsWith("not a valid " + type.getSimpleName() + " message"), e.getMessage());
        }
    }
}
