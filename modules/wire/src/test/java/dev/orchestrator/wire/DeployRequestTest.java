package dev.orchestrator.wire;

import static dev.orchestrator.wire.Errors.assertError;
import static dev.orchestrator.wire.Errors.read;
import static dev.orchestrator.wire.Errors.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The body of {@code POST /api/deploy}: binding, {@link DeployRequest#toSpec()} and its reverse. */
class DeployRequestTest {
    private static final long MIB = 1L << 20;
    private static final String SEED = """
            {"name":"api-server","image":"myapp:latest","replicas":3,\
            "ports":[{"container_port":8080,"host_port":8080,"protocol":"tcp"}],\
            "resources":{"cpu_shares":1024,"memory_mb":512},\
            "health_check":{"type":"http","endpoint":"http://localhost:8080/health","interval":"10s",\
            "timeout":"2s","retries":3}}""";
    /** {@link #SEED} as {@code from(toSpec())} writes it: every field, defaults made explicit. */
    private static final String SEED_NORMALISED = """
            {"name":"api-server","image":"myapp:latest","replicas":3,\
            "ports":[{"container_port":8080,"host_port":8080,"protocol":"tcp"}],\
            "resources":{"cpu_shares":1024,"memory_mb":512},\
            "health_check":{"type":"http","endpoint":"http://localhost:8080/health","port":null,"command":null,\
            "interval":"10s","timeout":"2s","retries":3,"start_period":null},\
            "env":{},"command":[],"restart_policy":"always","constraints":[],"strategy":null,"max_per_node":null,"networks":null,"load_balancer":null,"stop_signal":null,"stop_grace_period":null,"pull_policy":null}""";
    private static final String MINIMAL = "{\"name\":\"web\",\"image\":\"nginx\"";

    private static ServiceSpec spec(String members) {
        return read(MINIMAL + members + "}").toSpec();
    }

    private static JsonNode tree(String json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void seedBinds() {
        assertEquals(new DeployRequest("api-server", "myapp:latest", 3,
                List.of(new DeployRequest.Port(8080, 8080, "tcp")), new DeployRequest.ResourcesBody(1024L, 512L),
                new DeployRequest.HealthCheck("http", "http://localhost:8080/health", null, null, "10s", "2s", 3,
                        null), null, null, null, null, null, null, null, null), read(SEED));
    }

    @Test
    void seedGivesTheExpectedSpec() {
        ServiceSpec expected = new ServiceSpec("api-server", "myapp:latest", 3,
                List.of(new PortMapping(8080, 8080, "tcp")), new Resources(1024, 512 * MIB),
                new HealthCheckSpec("http", "http://localhost:8080/health", 0, List.of(), Duration.ofSeconds(10),
                        Duration.ofSeconds(2), 3, Duration.ZERO),
                Map.of(), List.of(), RestartPolicy.ALWAYS, List.of(), null);
        ServiceSpec spec = read(SEED).toSpec();
        assertEquals(expected, spec);
        assertEquals(536_870_912L, spec.resources().memoryBytes());
        assertEquals(Duration.ofSeconds(10), spec.healthCheck().interval());
        assertEquals(Duration.ofSeconds(2), spec.healthCheck().timeout());
        assertEquals(3, spec.healthCheck().retries());
        assertEquals(Duration.ZERO, spec.healthCheck().startPeriod());
        assertEquals(RestartPolicy.ALWAYS, spec.restartPolicy());
    }

    @Test
    void seedRoundTripsToItsNormalisedForm() {
        ServiceSpec spec = read(SEED).toSpec();
        String written = write(DeployRequest.from(spec));
        assertEquals(SEED_NORMALISED, written);
        assertEquals(spec, read(written).toSpec(), "the normalised form reads back to the same spec");
        assertEquals(written, write(DeployRequest.from(read(written).toSpec())), "normalising is idempotent");
    }

    @Test
    void minimalRequestGetsDefaults() {
        ServiceSpec s = spec("");
        assertEquals(new ServiceSpec("web", "nginx", 1, List.of(), Resources.NONE, null, Map.of(), List.of(),
                RestartPolicy.ALWAYS, List.of(), null), s);
        assertEquals("""
                {"name":"web","image":"nginx","replicas":1,"ports":[],"resources":{"cpu_shares":0,"memory_mb":0},\
                "health_check":null,"env":{},"command":[],"restart_policy":"always","constraints":[],\
                "strategy":null,"max_per_node":null,"networks":null,"load_balancer":null,"stop_signal":null,"stop_grace_period":null,"pull_policy":null}""", write(DeployRequest.from(s)));
    }

    static Stream<String> requests() {
        return Stream.of(
                SEED,
                MINIMAL + "}",
                MINIMAL + ",\"replicas\":0}",
                MINIMAL + ",\"replicas\":1000,\"restart_policy\":\"on-failure\",\"strategy\":\"spread\"}",
                MINIMAL + ",\"ports\":[{\"container_port\":53,\"protocol\":\"udp\"},{\"container_port\":53},"
                        + "{\"container_port\":443,\"host_port\":8443,\"protocol\":\"TCP\"}]}",
                MINIMAL + ",\"env\":{\"ZONE\":\"z\",\"A\":\"1\",\"EMPTY\":\"\",\"DSN\":\"a=b\",\"_X\":\"x\","
                        + "\"LOG_LEVEL\":\"info\",\"B\":\"2\",\"C\":\"3\"},\"command\":[\"/app\",\"--port\",\"80\"],"
                        + "\"constraints\":[\"node.labels.disk==ssd\",\"node.id!=node-2\"]}",
                MINIMAL + ",\"restart_policy\":\"never\",\"resources\":{\"cpu_shares\":2,\"memory_mb\":6}}",
                MINIMAL + ",\"resources\":{\"memory_mb\":1048576}}",
                MINIMAL + ",\"health_check\":{\"type\":\"tcp\",\"port\":80,\"interval\":\"1500ms\",\"timeout\":\"1s\","
                        + "\"retries\":5,\"start_period\":\"1m\"}}",
                MINIMAL + ",\"health_check\":{\"type\":\"exec\",\"command\":[\"/bin/check\",\"--fast\"],"
                        + "\"interval\":\"2h\",\"timeout\":\"90m\",\"retries\":100,\"start_period\":\"0s\"}}",
                MINIMAL + ",\"health_check\":{\"type\":\"http\",\"endpoint\":\"http://localhost/\"}}",
                MINIMAL + ",\"update\":{\"parallelism\":2,\"delay\":\"0s\",\"order\":\"stop-first\","
                        + "\"monitor\":\"90s\",\"failure_action\":\"pause\",\"max_failure_ratio\":0.25}}",
                MINIMAL + ",\"update\":{\"max_failure_ratio\":1}}",
                MINIMAL + ",\"update\":{}}",
                MINIMAL + ",\"stop_after_disconnect\":\"10s\"}",
                MINIMAL + ",\"stop_after_disconnect\":\"1h\",\"stop_grace_period\":\"0s\"}");
    }

    /** {@code from} is the reverse of {@code toSpec}, and its output is a fixpoint. */
    @ParameterizedTest
    @MethodSource("requests")
    void fromReversesToSpec(String json) {
        ServiceSpec spec = read(json).toSpec();
        DeployRequest normalised = DeployRequest.from(spec);
        assertEquals(spec, normalised.toSpec());
        String written = write(normalised);
        assertEquals(spec, read(written).toSpec());
        assertEquals(written, write(DeployRequest.from(read(written).toSpec())));
    }

    @Test
    void normalisedFormOfAFullRequest() {
        ServiceSpec spec = spec(",\"replicas\":2,\"ports\":[{\"container_port\":53,\"protocol\":\"UDP\"}],"
                + "\"env\":{\"Z\":\"1\",\"A\":\"2\",\"M\":\"3\"},\"command\":[\"run\"],\"restart_policy\":\"never\","
                + "\"constraints\":[\"node.labels.disk==ssd\"],\"strategy\":\"binpack\","
                + "\"health_check\":{\"type\":\"exec\",\"command\":[\"/bin/check\"],\"interval\":\"60s\","
                + "\"timeout\":\"1000ms\",\"retries\":0,\"start_period\":\"0\"}");
        assertEquals(tree("""
                {"name":"web","image":"nginx","replicas":2,\
                "ports":[{"container_port":53,"host_port":0,"protocol":"udp"}],\
                "resources":{"cpu_shares":0,"memory_mb":0},\
                "health_check":{"type":"exec","endpoint":null,"port":null,"command":["/bin/check"],\
                "interval":"1m","timeout":"1s","retries":3,"start_period":null},\
                "env":{"A":"2","M":"3","Z":"1"},"command":["run"],"restart_policy":"never",\
                "constraints":["node.labels.disk==ssd"],"strategy":"binpack","max_per_node":null,"networks":null,"load_balancer":null,"stop_signal":null,"stop_grace_period":null,"pull_policy":null}"""), tree(write(DeployRequest.from(spec))));
        assertEquals("{\"A\":\"2\",\"M\":\"3\",\"Z\":\"1\"}", write(DeployRequest.from(spec).env()),
                "env is written sorted by key");
    }

    @Test
    void missingNameOrImage() {
        var e = assertError(ErrorCode.INVALID_ARGUMENT, () -> read("{\"image\":\"nginx\"}").toSpec());
        assertEquals("name is required", e.getMessage());
        e = assertError(ErrorCode.INVALID_ARGUMENT, () -> read("{\"name\":\"web\"}").toSpec());
        assertEquals("image is required", e.getMessage());
        assertError(ErrorCode.INVALID_ARGUMENT, () -> read("{}").toSpec(), "name is required");
        assertError(ErrorCode.INVALID_ARGUMENT, () -> read("{\"name\":\"web\",\"image\":\" \"}").toSpec(),
                "image is required");
    }

    @Test
    void aKeyGivenTwiceIsMalformedNotTheLastOneWins() {
        assertError(ErrorCode.MALFORMED_REQUEST, () -> read(MINIMAL + ",\"replicas\":1,\"replicas\":9}"),
                "Duplicate field 'replicas'");
    }

    /** Well-formed JSON with a bad value is INVALID_ARGUMENT, naming the field and the value. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            ",\"replicas\":1001                                        | replicas must be in 0..1000, got 1001",
            ",\"replicas\":-1                                          | replicas must be in 0..1000, got -1",
            ",\"name\":\"Web\"                                         | name must be a DNS label",
            ",\"strategy\":\"Spread\"                                  | strategy must be a DNS label",
            ",\"restart_policy\":\"sometimes\"                         | restart_policy must be 'always', 'on-failure' or 'never', got 'sometimes'",
            ",\"restart_policy\":\"ALWAYS\"                            | got 'ALWAYS'",
            ",\"ports\":[null]                                         | ports.container_port is required",
            ",\"ports\":[{\"host_port\":8080}]                         | ports.container_port is required",
            ",\"ports\":[{\"container_port\":0}]                       | ports.container_port must be a port in 1..65535, got 0",
            ",\"ports\":[{\"container_port\":80,\"host_port\":65536}]  | ports.host_port must be a port in 1..65535, got 65536",
            ",\"ports\":[{\"container_port\":80,\"protocol\":\"sctp\"}] | ports.protocol must be 'tcp' or 'udp', got 'sctp'",
            ",\"ports\":[{\"container_port\":80,\"host_port\":8080},{\"container_port\":81,\"host_port\":8080}] | ports: host_port 8080/tcp is listed twice",
            ",\"ports\":[{\"container_port\":80},{\"container_port\":80,\"protocol\":\"tcp\"}] | ports: container_port 80/tcp is listed twice",
            ",\"resources\":{\"cpu_shares\":1}                         | resources.cpu_shares must be in 2..262144, got 1",
            ",\"resources\":{\"memory_mb\":-1}                         | resources.memory_mb must be in 6..1048576, got -1",
            ",\"resources\":{\"memory_mb\":5}                          | resources.memory_mb must be in 6..1048576, got 5",
            ",\"resources\":{\"memory_mb\":1048577}                    | resources.memory_mb must be in 6..1048576, got 1048577",
            ",\"resources\":{\"memory_mb\":9223372036854775807}        | resources.memory_mb must be in 6..1048576, got 9223372036854775807",
            ",\"env\":{\"BAD-KEY\":\"x\"}                              | env must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got 'BAD-KEY'",
            ",\"env\":{\"A\":null}                                     | env.A must be a string, got null",
            ",\"command\":[\"run\",null]                               | command[1] must not be null",
            ",\"constraints\":[null]                                   | constraints[0] must not be null",
            ",\"health_check\":{}                                      | health_check.type is required",
            ",\"health_check\":{\"type\":\"HTTP\"}                     | health_check.type must be a DNS label",
            ",\"health_check\":{\"type\":\"tcp\",\"port\":70000}       | health_check.port must be a port in 1..65535, got 70000",
            ",\"health_check\":{\"type\":\"tcp\",\"retries\":101}      | health_check.retries must be in 1..100, got 101",
            ",\"health_check\":{\"type\":\"tcp\",\"retries\":-1}       | health_check.retries must be in 1..100, got -1",
            ",\"health_check\":{\"type\":\"tcp\",\"interval\":\"10\"}  | health_check.interval must be a duration like '500ms', '10s', '5m' or '1h', got '10'",
            ",\"health_check\":{\"type\":\"tcp\",\"interval\":\"0s\"}  | health_check.interval must be greater than zero, got '0s'",
            ",\"health_check\":{\"type\":\"tcp\",\"timeout\":\"1d\"}   | health_check.timeout must be a duration like '500ms', '10s', '5m' or '1h', got '1d'",
            ",\"health_check\":{\"type\":\"tcp\",\"timeout\":\"0ms\"}  | health_check.timeout must be greater than zero, got '0ms'",
            ",\"health_check\":{\"type\":\"tcp\",\"interval\":\"1s\",\"timeout\":\"2s\"} | health_check.timeout (2s) must not exceed interval (1s)",
            ",\"health_check\":{\"type\":\"tcp\",\"start_period\":\"-1s\"} | health_check.start_period must be a duration like '500ms', '10s', '5m' or '1h', got '-1s'",
            ",\"health_check\":{\"type\":\"tcp\",\"start_period\":\"0d\"}  | health_check.start_period must be a duration like '500ms', '10s', '5m' or '1h', got '0d'",
            ",\"health_check\":{\"type\":\"exec\",\"command\":[null]}  | health_check.command[0] must not be null",
            ",\"health_check\":{\"type\":\"http\"}                     | health_check.endpoint is required for an http check: the URL to GET, e.g. http://localhost:8080/health",
            ",\"health_check\":{\"type\":\"http\",\"endpoint\":\" \"}    | health_check.endpoint is required for an http check: the URL to GET, e.g. http://localhost:8080/health",
            ",\"health_check\":{\"type\":\"tcp\"}                      | health_check.port is required for a tcp check: the container port to connect to",
            ",\"health_check\":{\"type\":\"exec\"}                     | health_check.command is required for an exec check: the argv to run inside the container, e.g. [\"/bin/check\"]",
            ",\"health_check\":{\"type\":\"exec\",\"command\":[]}      | health_check.command is required for an exec check: the argv to run inside the container, e.g. [\"/bin/check\"]"})
    void invalidValues(String members, String message) {
        // A key given twice is refused as malformed: a case that sets name or image replaces it.
        String base = members.startsWith(",\"name\"") ? "{\"image\":\"nginx\""
                : members.startsWith(",\"image\"") ? "{\"name\":\"web\"" : MINIMAL;
        DeployRequest request = read(base + members + "}");
        assertError(ErrorCode.INVALID_ARGUMENT, request::toSpec, message);
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null, 0", "0, 0", "6, 6291456", "512, 536870912",
            "1048576, 1099511627776"})
    void memoryMb(String memoryMb, long bytes) {
        ServiceSpec s = spec(",\"resources\":{\"memory_mb\":" + memoryMb + "}");
        assertEquals(bytes, s.resources().memoryBytes());
        assertEquals(0, s.resources().cpuShares());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null, 0", "0, 0", "2, 2", "1024, 1024", "262144, 262144"})
    void cpuShares(String shares, long expected) {
        ServiceSpec s = spec(",\"resources\":{\"cpu_shares\":" + shares + "}");
        assertEquals(expected, s.resources().cpuShares());
        assertEquals(0, s.resources().memoryBytes());
    }

    @ParameterizedTest
    @CsvSource({"0s, 0", "0, 0", "0ms, 0", "00m, 0", "0h, 0", "5s, 5000", "500ms, 500", "1m, 60000"})
    void startPeriod(String text, long millis) {
        ServiceSpec s = spec(",\"health_check\":{\"type\":\"tcp\",\"port\":80,\"start_period\":\"" + text + "\"}");
        assertEquals(Duration.ofMillis(millis), s.healthCheck().startPeriod());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",\"retries\":null", ",\"retries\":0", ",\"interval\":null,\"timeout\":null"})
    void healthCheckDefaults(String members) {
        HealthCheckSpec h = spec(",\"health_check\":{\"type\":\"tcp\",\"port\":80" + members + "}").healthCheck();
        assertEquals(new HealthCheckSpec("tcp", null, 80, List.of(), Duration.ofSeconds(10), Duration.ofSeconds(2), 3,
                Duration.ZERO), h);
    }

    @Test
    void portDefaults() {
        List<PortMapping> ports = spec(",\"ports\":[{\"container_port\":8080},"
                + "{\"container_port\":9090,\"host_port\":null,\"protocol\":null},"
                + "{\"container_port\":53,\"host_port\":0,\"protocol\":\"Udp\"}]").ports();
        assertEquals(List.of(new PortMapping(8080, 0, "tcp"), new PortMapping(9090, 0, "tcp"),
                new PortMapping(53, 0, "udp")), ports);
        assertFalse(ports.get(0).published());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {"null, ALWAYS", "always, ALWAYS", "on-failure, ON_FAILURE",
            "never, NEVER"})
    void restartPolicy(String text, RestartPolicy expected) {
        String member = text == null ? "" : ",\"restart_policy\":\"" + text + "\"";
        assertEquals(expected, spec(member).restartPolicy());
    }

    @Test
    void replicasDefaultToOne() {
        assertEquals(1, spec("").replicas());
        assertEquals(1, spec(",\"replicas\":null").replicas());
        assertEquals(0, spec(",\"replicas\":0").replicas());
        assertNull(spec("").strategy());
    }

    @Test
    void stopSettingsRoundTrip() {
        ServiceSpec s = spec(",\"stop_signal\":\"quit\",\"stop_grace_period\":\"30s\"");
        assertEquals("SIGQUIT", s.stopSignal());
        assertEquals(java.time.Duration.ofSeconds(30), s.stopGracePeriod());
        assertEquals(s, read(write(DeployRequest.from(s))).toSpec());
        assertEquals(java.time.Duration.ZERO, spec(",\"stop_grace_period\":\"0s\"").stopGracePeriod());
    }

    @Test
    void stopAfterDisconnectIsADurationOf1sTo1h() {
        ServiceSpec s = spec(",\"stop_after_disconnect\":\"10s\"");
        assertEquals(Duration.ofSeconds(10), s.stopAfterDisconnect());
        assertEquals("10s", DeployRequest.from(s).stopAfterDisconnect());
        assertNull(spec("").stopAfterDisconnect(), "absent: availability first");
        assertEquals(false, write(DeployRequest.from(spec(""))).contains("stop_after_disconnect"),
                "not written when absent");
        assertError(ErrorCode.INVALID_ARGUMENT, () -> spec(",\"stop_after_disconnect\":\"500ms\""),
                "stop_after_disconnect must be in 1s..1h, got 500ms");
        assertError(ErrorCode.INVALID_ARGUMENT, () -> spec(",\"stop_after_disconnect\":\"2h\""),
                "stop_after_disconnect must be in 1s..1h, got 2h");
        assertError(ErrorCode.INVALID_ARGUMENT, () -> spec(",\"stop_after_disconnect\":\"0s\""));
        assertError(ErrorCode.INVALID_ARGUMENT, () -> spec(",\"stop_after_disconnect\":\"-5s\""));
        assertError(ErrorCode.INVALID_ARGUMENT, () -> spec(",\"stop_after_disconnect\":\"soon\""));
    }

    @Test
    void updateSettingsMapToTheSpec() {
        ServiceSpec s = spec(",\"update\":{\"parallelism\":2,\"delay\":\"5s\",\"order\":\"start-first\","
                + "\"monitor\":\"10s\",\"failure_action\":\"rollback\",\"max_failure_ratio\":0.2}");
        assertEquals(new UpdateConfig(2, Duration.ofSeconds(5), "start-first", Duration.ofSeconds(10), "rollback", 0.2),
                s.update());
        assertEquals(tree("""
                {"parallelism":2,"delay":"5s","order":"start-first","monitor":"10s","failure_action":"rollback",\
                "max_failure_ratio":0.2}"""), tree(write(DeployRequest.from(s).update())));
    }

    @Test
    void updateFieldsLeftOutTakeTheirDefaults() {
        UpdateConfig u = spec(",\"update\":{\"parallelism\":3,\"delay\":\"0\",\"monitor\":\"0ms\"}").update();
        assertEquals(new UpdateConfig(3, Duration.ZERO, null, Duration.ZERO, null, null), u);
        assertEquals("{\"parallelism\":3,\"delay\":\"0s\",\"order\":null,\"monitor\":\"0s\",\"failure_action\":null,"
                + "\"max_failure_ratio\":null}", write(DeployRequest.Update.from(u)));
        assertEquals("start-first", u.effectiveOrder());
        assertEquals("rollback", u.effectiveFailureAction());
        assertNull(spec(",\"update\":{}").update(), "an empty update block is the defaults");
        assertNull(spec(",\"update\":null").update());
    }

    @Test
    void defaultUpdateSettingsAreNotWritten() {
        assertFalse(write(DeployRequest.from(spec(",\"update\":{}"))).contains("update"));
        assertFalse(write(DeployRequest.from(spec(""))).contains("update"));
    }

    @Test
    void updateWordsAreNormalised() {
        UpdateConfig u = spec(",\"update\":{\"order\":\"Stop-First\",\"failure_action\":\" PAUSE\"}").update();
        assertEquals("stop-first", u.order());
        assertEquals("pause", u.failureAction());
    }

    /** A bad value inside {@code update} is INVALID_ARGUMENT naming {@code update.FIELD}. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "\"parallelism\":0                 | update.parallelism must be in 1..1000, got 0",
            "\"parallelism\":1001              | update.parallelism must be in 1..1000, got 1001",
            "\"delay\":\"5\"                   | update.delay must be a duration like '500ms', '10s', '5m' or '1h', got '5'",
            "\"delay\":\"-1s\"                 | update.delay must be a duration like",
            "\"delay\":\"2h\"                  | update.delay must be in 0s..1h, got 2h",
            "\"monitor\":\"1d\"                | update.monitor must be a duration like",
            "\"monitor\":\"61m\"               | update.monitor must be in 0s..1h, got 61m",
            "\"order\":\"sideways\"            | update.order must be start-first or stop-first, got 'sideways'",
            "\"failure_action\":\"retry\"      | update.failure_action must be rollback, pause or continue, got 'retry'",
            "\"max_failure_ratio\":1.5         | update.max_failure_ratio must be in 0..1, got 1.5",
            "\"max_failure_ratio\":-0.1        | update.max_failure_ratio must be in 0..1, got -0.1"})
    void invalidUpdateValues(String members, String message) {
        DeployRequest request = read(MINIMAL + ",\"update\":{" + members + "}}");
        assertError(ErrorCode.INVALID_ARGUMENT, request::toSpec, message);
    }

    /** Like every object of the request, {@code update} refuses a field it does not know, and a wrong type. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"batch_size\":2}               | unknown field 'batch_size'",
            "{\"parallelism\":\"2\"}          | field 'update.parallelism' must be an integer",
            "{\"parallelism\":1.5}            | field 'update.parallelism' must be an integer",
            "{\"delay\":5}                    | field 'update.delay' must be a string",
            "{\"max_failure_ratio\":\"0.2\"}  | field 'update.max_failure_ratio' must be a number",
            "[]                               | field 'update' must be an object"})
    void malformedUpdate(String update, String message) {
        assertError(ErrorCode.MALFORMED_REQUEST, () -> read(MINIMAL + ",\"update\":" + update + "}"), message);
    }

    @Test
    void changingOnlyTheUpdateSettingsKeepsTheRestOfTheSpec() {
        ServiceSpec s = spec(",\"update\":{\"parallelism\":4}");
        assertEquals(spec("").withUpdate(new UpdateConfig(4, null, null, null, null, null)), s);
        assertEquals(s, read(write(DeployRequest.from(s))).toSpec());
    }
}
