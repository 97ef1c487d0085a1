/**
 * The control plane: the REST API and the orchestration loop, started by {@code orchestrator server}.
 */
module dev.orchestrator.server {
    requires transitive dev.orchestrator.kernel;
    requires io.helidon.webserver;
    requires io.helidon.logging.common;

    exports dev.orchestrator.server;
}
