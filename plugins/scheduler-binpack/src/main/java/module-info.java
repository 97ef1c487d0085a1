/**
 * The {@code binpack} scheduler strategy: prefers the node that would be the most allocated once
 * the replica is placed, so nodes fill up one after another and whole nodes stay free for big
 * replicas (or can be switched off).
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}.
 */
module dev.orchestrator.scheduler.binpack {
    requires dev.orchestrator.api;

    provides dev.orchestrator.api.spi.SchedulerStrategyFactory
            with dev.orchestrator.scheduler.binpack.BinpackFactory;
}
