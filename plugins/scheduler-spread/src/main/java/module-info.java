/**
 * The {@code spread} scheduler strategy, the default: prefers the node with the fewest replicas
 * of the service being placed, then the least allocated one, so replicas of a service land on
 * as many nodes as possible and load evens out.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}.
 */
module dev.orchestrator.scheduler.spread {
    requires dev.orchestrator.api;

    provides dev.orchestrator.api.spi.SchedulerStrategyFactory
            with dev.orchestrator.scheduler.spread.SpreadFactory;
}
