package dev.orchestrator.scheduler.binpack;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.SchedulerStrategy;
import dev.orchestrator.api.spi.SchedulerStrategyFactory;

/**
 * Creates the {@code binpack} strategy, a {@link BinpackStrategy}. Weight 50: below
 * {@code spread}, so it is used only when named. No settings.
 */
public final class BinpackFactory implements SchedulerStrategyFactory {
    /** The plugin's name. */
    public static final String NAME = "binpack";

    /** For {@link java.util.ServiceLoader}. */
    public BinpackFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int weight() {
        return 50;
    }

    /** Never throws: the strategy takes no settings. */
    @Override
    public SchedulerStrategy create(PluginConfig config, PluginContext context) {
        return new BinpackStrategy();
    }
}
