/**
 * The control plane: the REST API (Helidon WebServer, basic auth through Helidon Security), the
 * agents' heartbeat route (join tokens), started by {@code orchestrator server} together with
 * the assigner and the reconciler of the embedded local node. The REST handlers are thin: they
 * map requests ({@code dev.orchestrator.wire} records) to the use cases of
 * {@code dev.orchestrator.app} and their results back to answers.
 */
module dev.orchestrator.server {
    requires transitive dev.orchestrator.kernel;
    requires dev.orchestrator.app;
    requires dev.orchestrator.wire;
    requires dev.orchestrator.store;
    requires dev.orchestrator.orchestration;
    requires dev.orchestrator.cluster;
    requires java.net.http;
    requires io.helidon.webserver;
    requires io.helidon.webserver.security;
    requires io.helidon.security;
    requires io.helidon.security.providers.httpauth;
    requires io.helidon.logging.common;
    requires com.fasterxml.jackson.databind;

    exports dev.orchestrator.server;
}
