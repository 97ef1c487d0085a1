/**
 * The node runtime, one for every node: the server's own node (in process) and every agent
 * (over HTTP) run the same {@link dev.orchestrator.node.Node}: a local mirror of the desired
 * state kept by a watch on the control plane, the reconciler over it (so containers keep
 * running, and crashes are restarted, while the control plane is away), and reports of observed
 * state. {@link dev.orchestrator.node.Agent} wires it to a remote server.
 */
module dev.orchestrator.node {
    requires transitive dev.orchestrator.cluster;
    requires transitive dev.orchestrator.kernel;
    requires io.helidon.webserver;
    requires transitive java.net.http;

    exports dev.orchestrator.node;
}
