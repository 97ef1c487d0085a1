package dev.orchestrator.api.spi;

/** Creates {@link SchedulerStrategy} scorers. */
public interface SchedulerStrategyFactory extends PluginFactory<SchedulerStrategy> {
}
