/**
 * The control plane: the REST API (Helidon WebServer, basic auth through Helidon Security), the
 * agents' routes of the node protocol (join tokens), the assigner, and the wiring of the
 * server's own node (the same node runtime as an agent's, linked in process). The REST handlers are thin: they
 * map requests ({@code dev.orchestrator.wire} records) to the use cases of
 * {@code dev.orchestrator.app} and their results back to answers.
 */
module dev.orchestrator.server {
    requires transitive dev.orchestrator.kernel;
    requires transitive dev.orchestrator.app; // ServerOptions carries its EventRetention
    requires dev.orchestrator.wire;
    requires dev.orchestrator.store;
    requires dev.orchestrator.orchestration;
    requires dev.orchestrator.cluster;
    requires dev.orchestrator.pki;
    requires transitive dev.orchestrator.node; // ServerOptions carries its LogRetention
    requires java.net.http;
    requires io.helidon.webserver;
    requires io.helidon.common.pki;
    requires io.helidon.common.tls;
    requires io.helidon.common.configurable;
    requires io.helidon.webserver.security;
    requires io.helidon.webserver.sse;
    requires io.helidon.webserver.observe;
    requires io.helidon.webserver.observe.metrics;
    requires io.helidon.metrics.api;
    requires io.helidon.security;
    requires io.helidon.security.providers.httpauth;
    requires io.helidon.logging.common;
    requires com.fasterxml.jackson.databind;

    exports dev.orchestrator.server;
}
