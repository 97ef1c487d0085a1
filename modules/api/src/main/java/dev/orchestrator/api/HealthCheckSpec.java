package dev.orchestrator.api;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to probe a replica. The {@code type} names a probe plugin ({@code http}, {@code tcp},
 * {@code exec}, or a drop-in one); the other fields are read by that plugin.
 *
 * @param type        the probe plugin's name
 * @param endpoint    for {@code http}: the URL; host {@code localhost} means the container itself
 * @param port        for {@code tcp}: the container port to connect to, 0 if unset
 * @param command     for {@code exec}: the argv run inside the container, never a shell string
 * @param interval    time between probes
 * @param timeout     time one probe may take
 * @param retries     consecutive failures before the replica is unhealthy, 1..100
 * @param startPeriod failures ignored while the container boots
 */
public record HealthCheckSpec(String type, String endpoint, int port, List<String> command,
                              Duration interval, Duration timeout, int retries, Duration startPeriod) {
    /** Default interval, as in the seed's example. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    /** Default timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    /** Default retries. */
    public static final int DEFAULT_RETRIES = 3;

    /** Validates and applies defaults. */
    public HealthCheckSpec {
        Validation.dnsLabel("health_check.type", type);
        command = Validation.listOf("health_check.command", command);
        interval = Objects.requireNonNullElse(interval, DEFAULT_INTERVAL);
        // A short interval shortens the default timeout with it: 1s probes time out after 1s.
        timeout = Objects.requireNonNullElse(timeout,
                DEFAULT_TIMEOUT.compareTo(interval) > 0 ? interval : DEFAULT_TIMEOUT);
        startPeriod = Objects.requireNonNullElse(startPeriod, Duration.ZERO);
        if (retries == 0) {
            retries = DEFAULT_RETRIES;
        }
        Validation.range("health_check.retries", retries, 1, 100);
        if (port != 0) {
            Validation.port("health_check.port", port);
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw OrchestratorException.invalid("health_check.interval and timeout must be positive");
        }
        if (timeout.compareTo(interval) > 0) {
            throw OrchestratorException.invalid("health_check.timeout (" + Validation.format(timeout)
                    + ") must not exceed interval (" + Validation.format(interval) + ")");
        }
        if (startPeriod.isNegative()) {
            throw OrchestratorException.invalid("health_check.start_period must not be negative");
        }
    }
}
