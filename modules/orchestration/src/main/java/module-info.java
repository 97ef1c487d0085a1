/**
 * Orchestration: the planner (a pure diff of desired and observed state) and the reconciler
 * that carries plans out on a node's container runtime and load balancer.
 */
module dev.orchestrator.orchestration {
    requires transitive dev.orchestrator.api;
    requires transitive dev.orchestrator.store;

    exports dev.orchestrator.orchestration;
}
