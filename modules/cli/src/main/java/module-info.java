/**
 * The {@code orchestrator} command: one launcher for the server, the agent and the CLI.
 */
module dev.orchestrator.cli {
    requires dev.orchestrator.server;
    requires com.fasterxml.jackson.databind;
}
