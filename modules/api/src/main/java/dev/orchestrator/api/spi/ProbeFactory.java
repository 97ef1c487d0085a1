package dev.orchestrator.api.spi;

/** Creates {@link Probe}s; the factory's name is the health check {@code type}. */
public interface ProbeFactory extends PluginFactory<Probe> {
}
