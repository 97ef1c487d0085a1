package dev.orchestrator.probe.exec;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeFactory;

/**
 * Creates the {@code exec} probe, an {@link ExecProbe}. It has no settings; the command and
 * timeout come from each target's {@link dev.orchestrator.api.HealthCheckSpec}, the runtime
 * from the target.
 */
public final class ExecProbeFactory implements ProbeFactory {
    /** The plugin's name, the health check {@code type}. */
    public static final String NAME = "exec";

    /** For {@link java.util.ServiceLoader}. */
    public ExecProbeFactory() {
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
        return new ExecProbe();
    }
}
