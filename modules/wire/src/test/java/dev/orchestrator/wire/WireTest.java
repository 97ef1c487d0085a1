package dev.orchestrator.wire;

import static dev.orchestrator.wire.Errors.assertError;
import static dev.orchestrator.wire.Errors.read;
import static dev.orchestrator.wire.Errors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Wire#read}: what is not the JSON expected is a {@link ErrorCode#MALFORMED_REQUEST}, never
 * silently coerced, truncated or ignored.
 */
class WireTest {
    private static final String NOT_EXPECTED = "request body is not the JSON expected: ";

    @Test
    void emptyBody() {
        var e = assertError(ErrorCode.MALFORMED_REQUEST,
                () -> Wire.read(new byte[0], DeployRequest.class));
        assertEquals("request body is empty: expected a JSON object", e.getMessage());
    }

    @Test
    void literalNull() {
        var e = assertError(ErrorCode.MALFORMED_REQUEST, () -> read("null"));
        assertEquals("expected a JSON object, got null", e.getMessage());
        assertError(ErrorCode.MALFORMED_REQUEST, () -> read("  null\n"), "expected a JSON object, got null");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\n", "[]", "[{}]", "\"api-server\"", "3", "true", "{", "{\"name\":",
            "{\"name\":\"a\",}", "{name:\"a\"}", "{'name':'a'}", "{\"name\":\"a\" \"image\":\"b\"}",
            "{\"name\":\"a\",\"image\":\"b\"} {}", "{\"name\":\"a\",\"image\":\"b\"} x", "{} []",
            "{\"name\":\"a\"} // comment", "\u00ef\u00bb\u00bf"})
    void notAJsonObject(String body) {
        assertError(ErrorCode.MALFORMED_REQUEST, () -> read(body), NOT_EXPECTED);
    }

    @Test
    void invalidUtf8() {
        byte[] body = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, '"', '}'};
        assertError(ErrorCode.MALFORMED_REQUEST, () -> Wire.read(body, DeployRequest.class), NOT_EXPECTED);
    }

    @Test
    void emptyObjectBindsToAllAbsent() {
        assertEquals(new DeployRequest(null, null, null, null, null, null, null, null, null, null, null, null, null, null), read("{}"));
    }

    /** Unknown fields at every level are refused, naming the field and listing the known ones. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"name\":\"a\",\"image\":\"b\",\"replica\":3}                                  | replica     | replicas",
            "{\"name\":\"a\",\"image\":\"b\",\"healthCheck\":{\"type\":\"tcp\"}}             | healthCheck | health_check",
            "{\"name\":\"a\",\"image\":\"b\",\"restartPolicy\":\"never\"}                    | restartPolicy | restart_policy",
            "{\"name\":\"a\",\"image\":\"b\",\"labels\":{}}                                  | labels      | constraints",
            "{\"name\":\"a\",\"image\":\"b\",\"ports\":[{\"container_port\":80,\"hostport\":80}]} | hostport | host_port",
            "{\"name\":\"a\",\"image\":\"b\",\"ports\":[{\"containerPort\":80}]}             | containerPort | container_port",
            "{\"name\":\"a\",\"image\":\"b\",\"resources\":{\"memory\":512}}                 | memory      | memory_mb",
            "{\"name\":\"a\",\"image\":\"b\",\"resources\":{\"cpus\":1}}                     | cpus        | cpu_shares",
            "{\"name\":\"a\",\"image\":\"b\",\"health_check\":{\"type\":\"tcp\",\"intervall\":\"1s\"}} | intervall | start_period",
            "{\"name\":\"a\",\"image\":\"b\",\"health_check\":{\"type\":\"tcp\",\"startPeriod\":\"1s\"}} | startPeriod | start_period",
            "{\"NAME\":\"a\"}                                                                | NAME        | name"})
    void unknownFieldsAreRefused(String body, String field, String known) {
        var e = assertError(ErrorCode.MALFORMED_REQUEST, () -> read(body), "unknown field '" + field + "'",
                "known fields: [", known);
    }

    /** Values of the wrong JSON type are refused, not coerced. */
    @ParameterizedTest
    @ValueSource(strings = {
            "\"replicas\":\"3\"",
            "\"replicas\":1.5",
            "\"replicas\":true",
            "\"replicas\":[3]",
            "\"replicas\":{}",
            "\"replicas\":3000000000",
            "\"ports\":{}",
            "\"ports\":\"8080:8080\"",
            "\"ports\":[8080]",
            "\"ports\":[{\"container_port\":\"80\"}]",
            "\"ports\":[{\"container_port\":80.5}]",
            "\"ports\":[{\"container_port\":80,\"protocol\":6}]",
            "\"resources\":[]",
            "\"resources\":{\"memory_mb\":\"512\"}",
            "\"resources\":{\"memory_mb\":1.5}",
            "\"resources\":{\"cpu_shares\":true}",
            "\"health_check\":\"http\"",
            "\"health_check\":{\"type\":\"tcp\",\"retries\":\"3\"}",
            "\"health_check\":{\"type\":\"tcp\",\"interval\":10}",
            "\"health_check\":{\"type\":\"exec\",\"command\":\"true\"}",
            "\"env\":[]",
            "\"env\":{\"A\":1}",
            "\"env\":{\"A\":true}",
            "\"env\":{\"A\":{}}",
            "\"command\":\"ls\"",
            "\"command\":[1]",
            "\"restart_policy\":1",
            "\"constraints\":\"a==b\"",
            "\"strategy\":false"})
    void wrongTypesAreRefused(String member) {
        String body = "{\"name\":\"a\",\"image\":\"b\"," + member + "}";
        assertError(ErrorCode.MALFORMED_REQUEST, () -> read(body), NOT_EXPECTED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"name\":5", "\"name\":true", "\"name\":[\"a\"]", "\"name\":{}", "\"image\":true",
            "\"image\":1.5"})
    void scalarsAreNotStrings(String member) {
        String body = "{" + member + ",\"replicas\":1}";
        assertError(ErrorCode.MALFORMED_REQUEST, () -> read(body), NOT_EXPECTED);
    }

    @Test
    void nullMeansAbsent() {
        assertEquals(new DeployRequest("a", "b", null, null, null, null, null, null, null, null, null, null, null, null),
                read("{\"name\":\"a\",\"image\":\"b\",\"replicas\":null,\"ports\":null,\"resources\":null,"
                        + "\"health_check\":null,\"env\":null,\"command\":null,\"restart_policy\":null,"
                        + "\"constraints\":null,\"strategy\":null}"));
    }

    @Test
    void scaleRequest() {
        byte[] five = "{\"replicas\":5}".getBytes(StandardCharsets.UTF_8);
        assertEquals(new ScaleRequest(5), Wire.read(five, ScaleRequest.class));
        for (String bad : new String[] {"{\"replicas\":1.5}", "{\"replicas\":\"5\"}", "{\"replicas\":5} {}"}) {
            assertError(ErrorCode.MALFORMED_REQUEST,
                    () -> Wire.read(bad.getBytes(StandardCharsets.UTF_8), ScaleRequest.class), NOT_EXPECTED);
        }
        assertError(ErrorCode.MALFORMED_REQUEST,
                () -> Wire.read("{\"count\":5}".getBytes(StandardCharsets.UTF_8), ScaleRequest.class),
                "unknown field 'count'", "replicas");
    }

    @Test
    void writesSnakeCaseWithMapsSortedByKey() {
        var labels = new LinkedHashMap<String, String>();
        for (String k : new String[] {"zone", "b", "disk", "a", "rack", "c", "gpu", "arch"}) {
            labels.put(k, "x");
        }
        String json = write(new DeployRequest.ResourcesBody(2L, 6L));
        assertEquals("{\"cpu_shares\":2,\"memory_mb\":6}", json);
        assertEquals("{\"a\":\"x\",\"arch\":\"x\",\"b\":\"x\",\"c\":\"x\",\"disk\":\"x\",\"gpu\":\"x\",\"rack\":\"x\","
                + "\"zone\":\"x\"}", write(labels));
        assertTrue(write(Map.copyOf(labels)).startsWith("{\"a\":\"x\",\"arch\":\"x\",\"b\""),
                "immutable maps iterate in a per-JVM random order; the output must not");
    }

    /** The token answers were maps sorted by key; the records keep that exact JSON. */
    @Test
    void tokenViewsKeepTheirJson() {
        assertEquals("{\"created_at\":\"2024-01-15T10:23:45Z\",\"id\":\"3f9a\",\"token\":\"orc1.3f9a.s\"}",
                write(new Views.TokenCreated("3f9a", "orc1.3f9a.s", "2024-01-15T10:23:45Z")));
        assertEquals("{\"created_at\":\"2024-01-15T10:23:45Z\",\"id\":\"3f9a\"}",
                write(new Views.Token("3f9a", "2024-01-15T10:23:45Z")));
    }

    @Test
    void requestsOmitAbsentFieldsAnswersShowThem() {
        var request = new DeployRequest("web", "nginx", null, null, null, null, null, null, null, null, null, null, null, null);
        assertEquals("{\"name\":\"web\",\"image\":\"nginx\"}",
                new String(Wire.writeRequest(request), StandardCharsets.UTF_8));
        assertTrue(write(request).contains("\"replicas\":null"), "the spec view shows every field");
    }

    @Test
    void answersIgnoreUnknownFields() throws Exception {
        Views.Deleted d = Wire.readAnswer("{\"name\":\"a\",\"deleted\":true,\"later\":1}"
                .getBytes(StandardCharsets.UTF_8), Views.Deleted.class);
        assertEquals(new Views.Deleted("a", true), d);
    }

    @Test
    void answerListsReadEachElement() throws Exception {
        List<Views.Token> tokens = Wire.readAnswers("[{\"id\":\"a\",\"created_at\":\"t\",\"later\":[]},{\"id\":\"b\"}]"
                .getBytes(StandardCharsets.UTF_8), Views.Token.class);
        assertEquals(List.of(new Views.Token("a", "t"), new Views.Token("b", null)), tokens);
        for (String body : List.of("{}", "[null]", "null", "[{\"id\":1}]")) {
            assertThrows(IOException.class, () -> Wire.readAnswers(body.getBytes(StandardCharsets.UTF_8),
                    Views.Token.class), body);
        }
    }

    /** What a client reads from an older server: absent lists are empty, absent sizes null, not 0. */
    @Test
    void answersOfAnOlderServer() throws Exception {
        Views.Service s = Wire.readAnswer("{\"name\":\"a\",\"spec\":{\"health_check\":{\"type\":\"tcp\",\"port\":80}}}"
                .getBytes(StandardCharsets.UTF_8), Views.Service.class);
        assertEquals(List.of(), s.ports());
        assertEquals(List.of(), s.containers());
        assertEquals(80, s.spec().healthCheck().port());
        Views.Node n = Wire.readAnswer("{\"id\":\"node-1\",\"cpus\":2}".getBytes(StandardCharsets.UTF_8),
                Views.Node.class);
        assertNull(n.memoryBytes());
        assertNull(n.allocatedCpuShares());
        assertEquals(2, n.cpus());
    }

    /** The stream records carry the same fields as what the server wrote before them. */
    @Test
    void logEventsAsStreamed() {
        assertEquals("{\"time\":\"t\",\"replica\":\"web-0\",\"node\":\"node-1\",\"stream\":\"stdout\",\"line\":\"hi\"}",
                write(new Views.LogLine("t", "web-0", "node-1", "stdout", "hi")));
        assertEquals("{\"node\":\"node-2\",\"message\":\"lost\"}", write(new Views.LogNotice("node-2", "lost")));
    }
}
