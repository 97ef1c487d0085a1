package dev.orchestrator.api.spi;

/** Creates {@link ContainerRuntime} drivers. */
public interface RuntimeDriverFactory extends PluginFactory<ContainerRuntime> {
}
