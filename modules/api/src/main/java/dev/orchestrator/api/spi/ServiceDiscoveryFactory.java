package dev.orchestrator.api.spi;

/** Creates {@link ServiceDiscovery} back-ends. */
public interface ServiceDiscoveryFactory extends PluginFactory<ServiceDiscovery> {
}
