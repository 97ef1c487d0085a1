/**
 * The kernel: finds plugins of every kind with {@link java.util.ServiceLoader}, in the boot
 * layer (built-in plugins) and in one child {@link java.lang.ModuleLayer} per drop-in plugin,
 * through the same code path, and selects them by name.
 */
module dev.orchestrator.kernel {
    requires transitive dev.orchestrator.api;

    exports dev.orchestrator.kernel;

    // One 'uses' per plugin kind: ServiceLoader refuses to look up a service the caller's
    // module does not declare.
    uses dev.orchestrator.api.spi.RuntimeDriverFactory;
    uses dev.orchestrator.api.spi.SchedulerStrategyFactory;
    uses dev.orchestrator.api.spi.ProbeFactory;
    uses dev.orchestrator.api.spi.ServiceDiscoveryFactory;
    uses dev.orchestrator.api.spi.LoadBalancerFactory;
    uses dev.orchestrator.api.spi.BalancingPolicyFactory;
}
