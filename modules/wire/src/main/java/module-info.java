/**
 * The REST API on the wire (docs/api.md): its request records ({@code DeployRequest},
 * {@code ScaleRequest}), its answers ({@code Views}) and {@code Wire}, the one Jackson mapping
 * of them. The server reads requests and writes answers with it; the CLI does the reverse, so
 * the two cannot drift apart.
 */
module dev.orchestrator.wire {
    requires transitive dev.orchestrator.api;
    // Transitive: readAnswer declares IOException subclasses of Jackson's, and the records carry
    // its annotations.
    requires transitive com.fasterxml.jackson.databind;

    exports dev.orchestrator.wire;
    // Jackson binds the records by reflection.
    opens dev.orchestrator.wire to com.fasterxml.jackson.databind;
}
