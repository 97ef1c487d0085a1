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
    // The log of server and agent: JUL configured in code (Logging).
    requires java.logging;
    // The config file: YAML read through Helidon Config, with every service lookup disabled
    // (parsers, filters, mappers are given explicitly; see ConfigFile).
    requires io.helidon.config;
    requires io.helidon.config.yaml;
}
