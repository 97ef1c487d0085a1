/**
 * The scheduler: places replicas on nodes with an explicit pipeline, filters (feasibility, each
 * rejection counted with a constant reason) then score (a
 * {@link dev.orchestrator.api.spi.SchedulerStrategy} plugin instance handed in) then select
 * (highest score, ties broken by a seeded generator or by name).
 *
 * <p>Pure computation over values: no I/O, no clock, no plugin discovery. The caller (the
 * server) chooses and creates the strategy through the kernel, so this module does not
 * {@code uses} any service.
 */
module dev.orchestrator.scheduler {
    requires transitive dev.orchestrator.api;

    exports dev.orchestrator.scheduler;
}
