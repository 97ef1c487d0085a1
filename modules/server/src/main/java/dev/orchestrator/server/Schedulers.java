package dev.orchestrator.server;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.scheduler.Scheduler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One scheduler per strategy plugin, created on first use with the plugin's settings and kept.
 * Thread-safe.
 */
final class Schedulers {
    private final PluginManager plugins;
    private final PluginContext context;
    private final Map<String, Scheduler> byName = new ConcurrentHashMap<>();

    Schedulers(PluginManager plugins, PluginContext context) {
        this.plugins = plugins;
        this.context = context;
    }

    /**
     * @param name a strategy name
     * @return its scheduler
     * @throws OrchestratorException {@code PLUGIN_ERROR} when no such strategy is installed
     */
    Scheduler of(String name) {
        return byName.computeIfAbsent(name, n -> new Scheduler(n,
                plugins.create(SchedulerStrategyFactory.class, n, context)));
    }

    /**
     * @param name a strategy name
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed strategies
     */
    void require(String name) {
        plugins.requireInstalled(PluginKind.SCHEDULER, name, "strategy");
    }
}
