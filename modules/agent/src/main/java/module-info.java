/**
 * The agent: a worker node. It mirrors the desired state the server sends in heartbeat
 * replies into a local SQLite store, runs the same reconciler as the server's embedded node
 * against it (so its containers keep running, and crashes are restarted, while the server is
 * away), and reports its replicas, events and backends in every heartbeat.
 */
module dev.orchestrator.agent {
    requires transitive dev.orchestrator.cluster;
    requires transitive dev.orchestrator.kernel;
    requires io.helidon.webserver;
    requires java.net.http;

    exports dev.orchestrator.agent;
}
