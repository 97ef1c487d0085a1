/**
 * The application layer: one class per use case behind the REST API (deploy, scale, remove,
 * node availability, join tokens, registry credentials) and the read-side queries. Each use case takes a command
 * record and returns a result record; it validates everything before it changes anything,
 * writes the desired state and its event in one store transaction, and then tells the cluster
 * through {@link dev.orchestrator.app.ClusterHooks}.
 *
 * <p>No HTTP and no JSON here: the server maps requests to commands and results to answers.
 * A module of its own rather than a package of the server so that nothing HTTP can creep in,
 * and so that the use cases are tested over a real store without a web server.
 */
module dev.orchestrator.app {
    requires transitive dev.orchestrator.api;
    requires transitive dev.orchestrator.store;
    // Constraint parsing (a malformed constraint is refused before anything is stored).
    requires dev.orchestrator.scheduler;
    // Replica names, as the logs prefix them.
    requires dev.orchestrator.orchestration;
    // Join tokens are issued and hashed by the cluster module; log queries and reads are its types.
    requires transitive dev.orchestrator.cluster;

    exports dev.orchestrator.app;
}
