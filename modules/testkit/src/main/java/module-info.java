/**
 * Test helpers for the orchestrator and for third-party plugin authors.
 */
module dev.orchestrator.testkit {
    requires transitive dev.orchestrator.api;

    exports dev.orchestrator.testkit;
}
