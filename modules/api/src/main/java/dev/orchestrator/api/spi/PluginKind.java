package dev.orchestrator.api.spi;

import java.util.Locale;

/** The six kinds of plugins, each with its factory interface. */
public enum PluginKind {
    /** Container runtime drivers (Docker). */
    RUNTIME(RuntimeDriverFactory.class),
    /** Scheduler scoring strategies (spread, binpack). */
    SCHEDULER(SchedulerStrategyFactory.class),
    /** Health probes (http, tcp, exec). */
    PROBE(ProbeFactory.class),
    /** Service discovery (DNS). */
    DISCOVERY(ServiceDiscoveryFactory.class),
    /** Load balancers for published ports. */
    LOAD_BALANCER(LoadBalancerFactory.class),
    /** How a load balancer picks a backend per connection (round-robin, least-connections, ...). */
    BALANCING_POLICY(BalancingPolicyFactory.class);

    private final Class<? extends PluginFactory<?>> factoryType;

    PluginKind(Class<? extends PluginFactory<?>> factoryType) {
        this.factoryType = factoryType;
    }

    /** @return the factory interface providers implement */
    public Class<? extends PluginFactory<?>> factoryType() {
        return factoryType;
    }

    /** @return the kind's configuration and display name, e.g. {@code load-balancer} */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
