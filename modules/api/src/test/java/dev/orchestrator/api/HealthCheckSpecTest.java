package dev.orchestrator.api;

import static dev.orchestrator.api.Invalid.assertInvalid;
import static dev.orchestrator.api.Invalid.assertInvalidMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact constructor of {@link HealthCheckSpec}: defaults and bounds. */
class HealthCheckSpecTest {
    private static final String URL = "http://localhost:8080/health";

    private static HealthCheckSpec timing(Duration interval, Duration timeout) {
        return new HealthCheckSpec("http", URL, 0, null, interval, timeout, 0, null);
    }

    private static HealthCheckSpec retries(int retries) {
        return new HealthCheckSpec("http", URL, 0, null, null, null, retries, null);
    }

    @Test
    void defaults() {
        HealthCheckSpec h = new HealthCheckSpec("http", URL, 0, null, null, null, 0, null);
        assertEquals(Duration.ofSeconds(10), h.interval());
        assertEquals(Duration.ofSeconds(2), h.timeout());
        assertEquals(3, h.retries());
        assertEquals(Duration.ZERO, h.startPeriod());
        assertEquals(List.of(), h.command());
        assertEquals(0, h.port());
        assertEquals(HealthCheckSpec.DEFAULT_INTERVAL, h.interval());
        assertEquals(HealthCheckSpec.DEFAULT_TIMEOUT, h.timeout());
        assertEquals(HealthCheckSpec.DEFAULT_RETRIES, h.retries());
    }

    @Test
    void givenValuesAreKept() {
        var command = new ArrayList<>(List.of("/bin/check", "--fast"));
        HealthCheckSpec h = new HealthCheckSpec("exec", null, 0, command, Duration.ofSeconds(30),
                Duration.ofSeconds(30), 5, Duration.ofMinutes(1));
        command.add("--mutated");
        assertEquals(List.of("/bin/check", "--fast"), h.command());
        assertThrows(UnsupportedOperationException.class, () -> h.command().add("x"));
        assertEquals(Duration.ofSeconds(30), h.interval());
        assertEquals(Duration.ofSeconds(30), h.timeout());
        assertEquals(5, h.retries());
        assertEquals(Duration.ofMinutes(1), h.startPeriod());
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "tcp", "exec", "grpc", "my-probe"})
    void typeIsAPluginName(String type) {
        assertEquals(type, new HealthCheckSpec(type, null, 0, null, null, null, 0, null).type());
    }

    @Test
    void typeIsRequiredAndALabel() {
        assertInvalidMessage("health_check.type is required",
                () -> new HealthCheckSpec(null, URL, 0, null, null, null, 0, null));
        assertInvalidMessage("health_check.type is required",
                () -> new HealthCheckSpec("", URL, 0, null, null, null, 0, null));
        assertInvalid(() -> new HealthCheckSpec("HTTP", URL, 0, null, null, null, 0, null),
                "health_check.type must be a DNS label", "got 'HTTP'");
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "3, 3", "100, 100", "0, 3"})
    void retriesInRangeOrDefault(int given, int expected) {
        assertEquals(expected, retries(given).retries());
    }

    @ParameterizedTest
    @ValueSource(ints = {101, -1, 1000, Integer.MIN_VALUE})
    void retriesOutOfRange(int given) {
        assertInvalidMessage("health_check.retries must be in 1..100, got " + given, () -> retries(given));
    }

    @ParameterizedTest
    @CsvSource({"10s, 2s", "10s, 10s", "1s, 500ms", "1h, 5m", "500ms, 500ms"})
    void timeoutUpToInterval(String interval, String timeout) {
        Duration i = Validation.duration("i", interval);
        Duration t = Validation.duration("t", timeout);
        HealthCheckSpec h = timing(i, t);
        assertEquals(i, h.interval());
        assertEquals(t, h.timeout());
    }

    @ParameterizedTest
    @CsvSource({"1s, 2s", "10s, 11s", "500ms, 501ms", "1m, 61s"})
    void timeoutLongerThanIntervalIsRefused(String interval, String timeout) {
        assertInvalidMessage("health_check.timeout (" + timeout + ") must not exceed interval (" + interval + ")",
                () -> timing(Validation.duration("i", interval), Validation.duration("t", timeout)));
    }

    @Test
    void timeoutLongerThanTheDefaultIntervalIsRefused() {
        assertInvalidMessage("health_check.timeout (11s) must not exceed interval (10s)",
                () -> timing(null, Duration.ofSeconds(11)));
    }

    @Test
    void zeroOrNegativeTimingIsRefused() {
        String message = "health_check.interval and timeout must be positive";
        assertInvalidMessage(message, () -> timing(Duration.ZERO, null));
        assertInvalidMessage(message, () -> timing(Duration.ofSeconds(-1), null));
        assertInvalidMessage(message, () -> timing(null, Duration.ZERO));
        assertInvalidMessage(message, () -> timing(null, Duration.ofMillis(-1)));
    }

    @Test
    void startPeriod() {
        assertEquals(Duration.ZERO, new HealthCheckSpec("tcp", null, 80, null, null, null, 0, Duration.ZERO)
                .startPeriod());
        assertEquals(Duration.ofSeconds(5), new HealthCheckSpec("tcp", null, 80, null, null, null, 0,
                Duration.ofSeconds(5)).startPeriod());
        assertInvalidMessage("health_check.start_period must not be negative",
                () -> new HealthCheckSpec("tcp", null, 80, null, null, null, 0, Duration.ofSeconds(-1)));
        assertInvalidMessage("health_check.start_period must not be negative",
                () -> new HealthCheckSpec("tcp", null, 80, null, null, null, 0, Duration.ofMillis(-1)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 8080, 65535})
    void portZeroOrInRange(int port) {
        assertEquals(port, new HealthCheckSpec("tcp", null, port, null, null, null, 0, null).port());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536})
    void portOutOfRange(int port) {
        assertInvalidMessage("health_check.port must be a port in 1..65535, got " + port,
                () -> new HealthCheckSpec("tcp", null, port, null, null, null, 0, null));
    }

    @Test
    void nullCommandArgumentIsRefused() {
        assertInvalidMessage("health_check.command[1] must not be null",
                () -> new HealthCheckSpec("exec", null, 0, Arrays.asList("/bin/check", null), null, null, 0, null));
    }
}
