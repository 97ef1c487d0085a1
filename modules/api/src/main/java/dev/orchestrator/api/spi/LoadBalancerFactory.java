package dev.orchestrator.api.spi;

/** Creates {@link LoadBalancer}s. */
public interface LoadBalancerFactory extends PluginFactory<LoadBalancer> {
}
