/**
 * The {@code orchestrator} command: one launcher for the server, the agent and the CLI. The
 * client commands talk to a server's REST API with the JDK's own HTTP client.
 */
module dev.orchestrator.cli {
    requires dev.orchestrator.server;
    requires dev.orchestrator.node;
    // The REST API's records and their one JSON mapping, shared with the server.
    requires dev.orchestrator.wire;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;
}
