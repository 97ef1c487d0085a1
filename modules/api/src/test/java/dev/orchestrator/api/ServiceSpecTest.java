package dev.orchestrator.api;

import static dev.orchestrator.api.Invalid.assertInvalid;
import static dev.orchestrator.api.Invalid.assertInvalidMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact constructor of {@link ServiceSpec}: every field validated, defaults applied. */
class ServiceSpecTest {
    private static ServiceSpec spec(int replicas) {
        return new ServiceSpec("api-server", "myapp:latest", replicas, null, null, null, null, null, null, null, null);
    }

    private static ServiceSpec withPorts(PortMapping... ports) {
        return new ServiceSpec("api-server", "myapp:latest", 1, List.of(ports), null, null, null, null, null, null,
                null);
    }

    private static ServiceSpec withEnv(Map<String, String> env) {
        return new ServiceSpec("api-server", "myapp:latest", 1, null, null, null, env, null, null, null, null);
    }

    private static ServiceSpec withStrategy(String strategy) {
        return new ServiceSpec("api-server", "myapp:latest", 1, null, null, null, null, null, null, null, strategy);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 999, ServiceSpec.MAX_REPLICAS})
    void replicasInRange(int replicas) {
        assertEquals(replicas, spec(replicas).replicas());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 1001, 5000, Integer.MIN_VALUE, Integer.MAX_VALUE})
    void replicasOutOfRange(int replicas) {
        assertInvalidMessage("replicas must be in 0..1000, got " + replicas, () -> spec(replicas));
    }

    @Test
    void withReplicasValidatesAgain() {
        ServiceSpec s = spec(3);
        assertEquals(spec(7), s.withReplicas(7));
        assertEquals(0, s.withReplicas(0).replicas());
        assertInvalidMessage("replicas must be in 0..1000, got 1001", () -> s.withReplicas(1001));
    }

    @Test
    void nameAndImageAreValidated() {
        assertInvalidMessage("name is required",
                () -> new ServiceSpec(null, "myapp:latest", 1, null, null, null, null, null, null, null, null));
        assertInvalid(() -> new ServiceSpec("Api_Server", "myapp:latest", 1, null, null, null, null, null, null, null,
                null), "name must be a DNS label", "got 'Api_Server'");
        assertInvalidMessage("image is required",
                () -> new ServiceSpec("api-server", null, 1, null, null, null, null, null, null, null, null));
        assertInvalid(() -> new ServiceSpec("api-server", "MyApp:latest", 1, null, null, null, null, null, null, null,
                null), "image must be an image reference", "got 'MyApp:latest'");
    }

    @Test
    void defaultsAreApplied() {
        ServiceSpec s = spec(1);
        assertEquals(RestartPolicy.ALWAYS, s.restartPolicy());
        assertEquals(List.of(), s.ports());
        assertEquals(Map.of(), s.env());
        assertEquals(List.of(), s.command());
        assertEquals(List.of(), s.constraints());
        assertEquals(Resources.NONE, s.resources());
        assertNull(s.healthCheck());
        assertNull(s.strategy());
    }

    @Test
    void givenValuesAreKept() {
        var check = new HealthCheckSpec("tcp", null, 8080, null, Duration.ofSeconds(5), Duration.ofSeconds(1), 2, null);
        ServiceSpec s = new ServiceSpec("worker", "registry:5000/team/w:1.2", 2,
                List.of(new PortMapping(8080, 80, "tcp")), new Resources(512, 64L << 20), check,
                Map.of("LOG_LEVEL", "info"), List.of("/app", "--x"), RestartPolicy.NEVER,
                List.of("node.labels.disk==ssd"), "spread");
        assertEquals(List.of(new PortMapping(8080, 80, "tcp")), s.ports());
        assertEquals(new Resources(512, 64L << 20), s.resources());
        assertEquals(check, s.healthCheck());
        assertEquals(Map.of("LOG_LEVEL", "info"), s.env());
        assertEquals(List.of("/app", "--x"), s.command());
        assertEquals(RestartPolicy.NEVER, s.restartPolicy());
        assertEquals(List.of("node.labels.disk==ssd"), s.constraints());
        assertEquals("spread", s.strategy());
    }

    @Test
    void collectionsAreImmutableCopies() {
        var ports = new ArrayList<>(List.of(new PortMapping(80, 0, null)));
        var env = new HashMap<>(Map.of("A", "1"));
        var command = new ArrayList<>(List.of("run"));
        var constraints = new ArrayList<>(List.of("node.labels.a==b"));
        ServiceSpec s = new ServiceSpec("web", "nginx", 1, ports, null, null, env, command, null, constraints, null);
        ports.add(new PortMapping(81, 0, null));
        env.put("B", "2");
        command.add("--more");
        constraints.clear();
        assertEquals(1, s.ports().size());
        assertEquals(Map.of("A", "1"), s.env());
        assertEquals(List.of("run"), s.command());
        assertEquals(List.of("node.labels.a==b"), s.constraints());
        assertThrows(UnsupportedOperationException.class, () -> s.ports().clear());
        assertThrows(UnsupportedOperationException.class, () -> s.env().put("C", "3"));
        assertThrows(UnsupportedOperationException.class, () -> s.command().clear());
        assertThrows(UnsupportedOperationException.class, () -> s.constraints().clear());
    }

    static Stream<Arguments> distinctPorts() {
        return Stream.of(
                Arguments.of("same host port, tcp and udp", List.of(
                        new PortMapping(8080, 8080, "tcp"), new PortMapping(8080, 8080, "udp"))),
                Arguments.of("same container port, tcp and udp", List.of(
                        new PortMapping(53, 0, "tcp"), new PortMapping(53, 0, "udp"))),
                Arguments.of("several unpublished ports", List.of(
                        new PortMapping(80, 0, "tcp"), new PortMapping(81, 0, "tcp"), new PortMapping(82, 0, null))),
                Arguments.of("two container ports, two host ports", List.of(
                        new PortMapping(80, 8080, "tcp"), new PortMapping(443, 8443, "tcp"))),
                Arguments.of("host port equal to another's container port", List.of(
                        new PortMapping(80, 8080, "tcp"), new PortMapping(8080, 9090, "tcp"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("distinctPorts")
    void distinctPortsAreAccepted(String why, List<PortMapping> ports) {
        assertEquals(ports, withPorts(ports.toArray(PortMapping[]::new)).ports());
    }

    static Stream<Arguments> duplicatePorts() {
        return Stream.of(
                Arguments.of(List.of(new PortMapping(80, 8080, "tcp"), new PortMapping(81, 8080, "tcp")),
                        "ports: host_port 8080/tcp is listed twice"),
                Arguments.of(List.of(new PortMapping(80, 8080, "tcp"), new PortMapping(81, 8080, "TCP")),
                        "ports: host_port 8080/tcp is listed twice"),
                Arguments.of(List.of(new PortMapping(80, 8080, null), new PortMapping(81, 8080, "tcp")),
                        "ports: host_port 8080/tcp is listed twice"),
                Arguments.of(List.of(new PortMapping(53, 5353, "udp"), new PortMapping(54, 5353, "udp")),
                        "ports: host_port 5353/udp is listed twice"),
                Arguments.of(List.of(new PortMapping(80, 8080, "tcp"), new PortMapping(80, 8081, "tcp")),
                        "ports: container_port 80/tcp is listed twice"),
                Arguments.of(List.of(new PortMapping(80, 0, "tcp"), new PortMapping(80, 0, "tcp")),
                        "ports: container_port 80/tcp is listed twice"),
                Arguments.of(List.of(new PortMapping(53, 0, "udp"), new PortMapping(53, 0, "UDP")),
                        "ports: container_port 53/udp is listed twice"),
                Arguments.of(List.of(new PortMapping(80, 0, "tcp"), new PortMapping(443, 8443, "tcp"),
                        new PortMapping(444, 8443, "tcp")), "ports: host_port 8443/tcp is listed twice"));
    }

    @ParameterizedTest
    @MethodSource("duplicatePorts")
    void duplicatePortsAreRefused(List<PortMapping> ports, String message) {
        assertInvalidMessage(message, () -> withPorts(ports.toArray(PortMapping[]::new)));
    }

    @Test
    void nullPortIsRefused() {
        assertInvalidMessage("ports[1] must not be null", () -> new ServiceSpec("web", "nginx", 1,
                Arrays.asList(new PortMapping(80, 0, null), null), null, null, null, null, null, null, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"LOG_LEVEL", "_", "a", "PATH2"})
    void validEnvKeys(String key) {
        assertEquals(Map.of(key, "v"), withEnv(Map.of(key, "v")).env());
    }

    @ParameterizedTest
    @ValueSource(strings = {"1A", "BAD-KEY", "A B", "", "A=B"})
    void invalidEnvKeys(String key) {
        assertInvalidMessage("env must be an environment variable name ([A-Za-z_][A-Za-z0-9_]*), got '" + key + "'",
                () -> withEnv(Map.of("GOOD", "1", key, "v")));
    }

    @Test
    void envValuesMayBeEmptyButNotNull() {
        assertEquals(Map.of("EMPTY", ""), withEnv(Map.of("EMPTY", "")).env());
        var env = new HashMap<String, String>();
        env.put("A", null);
        assertInvalidMessage("env.A must be a string, got null", () -> withEnv(env));
    }

    @Test
    void nullEnvKeyIsRefused() {
        var env = new HashMap<String, String>();
        env.put(null, "v");
        assertInvalid(() -> withEnv(env), "env must be an environment variable name", "got 'null'");
    }

    @Test
    void nullCommandArgumentsAndConstraintsAreRefused() {
        assertInvalidMessage("command[0] must not be null", () -> new ServiceSpec("web", "nginx", 1, null, null, null,
                null, Arrays.asList((String) null), null, null, null));
        assertInvalidMessage("constraints[1] must not be null", () -> new ServiceSpec("web", "nginx", 1, null, null,
                null, null, null, null, Arrays.asList("a==b", null), null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"spread", "binpack", "least-loaded", "s1"})
    void validStrategies(String strategy) {
        assertEquals(strategy, withStrategy(strategy).strategy());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Spread", "bin_pack", "-spread", "spread-", "a.b"})
    void invalidStrategies(String strategy) {
        assertInvalid(() -> withStrategy(strategy), "strategy must be a DNS label", "got '" + strategy + "'");
    }

    @Test
    void emptyStrategyIsRefusedButNullIsTheDefault() {
        assertInvalidMessage("strategy is required", () -> withStrategy(""));
        assertNull(withStrategy(null).strategy());
    }

    private static ServiceSpec withStop(String signal, java.time.Duration grace) {
        return new ServiceSpec("api-server", "myapp:latest", 1, null, null, null, null, null, null, null, null, null,
                null, null, signal, grace);
    }

    @Test
    void stopSignalsAreNamedOneWayAndGraceIsBounded() {
        assertEquals("SIGQUIT", withStop("quit", null).stopSignal());
        assertEquals("SIGUSR1", withStop("SIGUSR1", null).stopSignal());
        assertEquals("15", withStop("15", null).stopSignal());
        assertEquals("SIGTERM", withStop(null, null).effectiveStopSignal());
        assertEquals(java.time.Duration.ofSeconds(10), withStop(null, null).effectiveStopGrace());
        assertEquals(java.time.Duration.ZERO, withStop(null, java.time.Duration.ZERO).stopGracePeriod());
        Invalid.assertInvalid(() -> withStop("SIGNOPE", null), "stop_signal");
        Invalid.assertInvalid(() -> withStop("65", null), "stop_signal");
        Invalid.assertInvalid(() -> withStop(null, java.time.Duration.ofHours(2)), "stop_grace_period");
        Invalid.assertInvalid(() -> withStop(null, java.time.Duration.ofSeconds(-1)), "stop_grace_period");
    }
}
