package dev.orchestrator.probe.tcp;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeFactory;

/**
 * Creates the {@code tcp} probe, a {@link TcpProbe}. It has no settings; the port and timeout
 * come from each target's {@link dev.orchestrator.api.HealthCheckSpec}.
 */
public final class TcpProbeFactory implements ProbeFactory {
    /** The plugin's name, the health check {@code type}. */
    public static final String NAME = "tcp";

    /** For {@link java.util.ServiceLoader}. */
    public TcpProbeFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int weight() {
        return 100;
    }

    /** Never throws: there is nothing to configure. */
    @Override
    public Probe create(PluginConfig config, PluginContext context) {
        return new TcpProbe();
    }
}
