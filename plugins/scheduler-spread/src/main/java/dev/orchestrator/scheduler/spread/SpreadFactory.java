package dev.orchestrator.scheduler.spread;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.SchedulerStrategy;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;

/**
 * Creates the {@code spread} strategy, a {@link SpreadStrategy}. Weight 100, the highest of the
 * built-in strategies, so it is the default when the configuration names none. No settings.
 */
public final class SpreadFactory implements SchedulerStrategyFactory {
    /** The plugin's name. */
    public static final String NAME = "spread";

    /** For {@link java.util.ServiceLoader}. */
    public SpreadFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int weight() {
        return 100;
    }

    /** Never throws: the strategy takes no settings. */
    @Override
    public SchedulerStrategy create(PluginConfig config, PluginContext context) {
        return new SpreadStrategy();
    }
}
