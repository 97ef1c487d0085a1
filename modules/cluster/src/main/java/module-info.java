/**
 * Several nodes: the protocol agents speak with the server (heartbeats carrying observed state,
 * answered with the desired state), join tokens, node membership with failure detection, and
 * the assigner that turns the scheduler's placements into assignments.
 *
 * <p>No HTTP here: the server and the agent carry {@link dev.orchestrator.cluster.Protocol}
 * messages over their own transports, so this module stays testable without sockets.
 */
module dev.orchestrator.cluster {
    requires transitive dev.orchestrator.api;
    requires transitive dev.orchestrator.store;
    requires transitive dev.orchestrator.orchestration;
    requires transitive dev.orchestrator.scheduler;
    requires com.fasterxml.jackson.databind;

    exports dev.orchestrator.cluster;
    // Jackson binds the protocol records by reflection.
    opens dev.orchestrator.cluster to com.fasterxml.jackson.databind;
}
