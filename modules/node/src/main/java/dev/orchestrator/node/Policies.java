package dev.orchestrator.node;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.BalancingPolicyFactory;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.orchestration.BalancingPolicies;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's balancing policies: created through the plugin manager when a service first names
 * one, then shared by every port that uses it. Thread-safe.
 */
final class Policies implements BalancingPolicies {
    private final PluginManager plugins;
    private final PluginContext context;
    private final Map<String, BalancingPolicy> byName = new ConcurrentHashMap<>();

    Policies(PluginManager plugins, PluginContext context) {
        this.plugins = Objects.requireNonNull(plugins, "plugins");
        this.context = Objects.requireNonNull(context, "context");
    }

    /**
     * {@inheritDoc}
     *
     * <p>A name that is not installed is not cached, so a policy plugin added later (a drop-in
     * needs a restart anyway) is not masked by an earlier failure.
     */
    @Override
    public BalancingPolicy named(String name) {
        Objects.requireNonNull(name, "name");
        return byName.computeIfAbsent(name, n -> plugins.create(BalancingPolicyFactory.class, n, context));
    }
}
