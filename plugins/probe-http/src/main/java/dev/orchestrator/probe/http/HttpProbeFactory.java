package dev.orchestrator.probe.http;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeFactory;

/**
 * Creates the {@code http} probe, an {@link HttpProbe} with its own HTTP client.
 *
 * <p>Settings (optional):
 * <ul>
 *   <li>{@code expected-status}: the statuses that count as healthy, one ({@code 200}) or a
 *       range ({@code 200-299}); default {@code 200-399}.</li>
 * </ul>
 * The endpoint and timeout come from each target's {@link dev.orchestrator.api.HealthCheckSpec}.
 */
public final class HttpProbeFactory implements ProbeFactory {
    /** The plugin's name, the health check {@code type}. */
    public static final String NAME = "http";

    private static final String EXPECTED_STATUS = "expected-status";

    /** For {@link java.util.ServiceLoader}. */
    public HttpProbeFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int weight() {
        return 100;
    }

    /**
     * @return a probe that the caller should {@link AutoCloseable#close() close} when done with it
     * @throws OrchestratorException {@link ErrorCode#PLUGIN_ERROR} if {@code expected-status} is malformed
     */
    @Override
    public Probe create(PluginConfig config, PluginContext context) {
        return new HttpProbe(expectedStatus(config));
    }

    /** Reads {@code expected-status}; package-private so tests can check the parsing alone. */
    static StatusRange expectedStatus(PluginConfig config) {
        try {
            return config.get(EXPECTED_STATUS).map(v -> StatusRange.parse(EXPECTED_STATUS, v)).orElse(StatusRange.DEFAULT);
        } catch (OrchestratorException e) {
            throw new OrchestratorException(ErrorCode.PLUGIN_ERROR, "probe plugin " + NAME + " ("
                    + HttpProbeFactory.class.getName() + "): " + e.getMessage(), e);
        }
    }
}
