package dev.orchestrator.store;

import dev.orchestrator.api.ServiceSpec;

/**
 * The canonical JSON of a spec, as the store keeps it: how the server hands specs to agents,
 * so both ends read them exactly as the store does. Thread-safe.
 */
public final class SpecJson {
    private static final Json JSON = new Json();

    private SpecJson() {
    }

    /**
     * @param spec a spec
     * @return its JSON, without the replica count
     */
    public static String encode(ServiceSpec spec) {
        return JSON.encodeSpec(spec);
    }

    /**
     * @param spec a spec
     * @return its JSON without the replica count and without the environment (whose values may
     *         be secrets): for nodes that only route to the service, never run it
     */
    public static String encodeForRouting(ServiceSpec spec) {
        try {
            var tree = (com.fasterxml.jackson.databind.node.ObjectNode) ROUTING.readTree(encode(spec));
            tree.remove("env");
            return ROUTING.writeValueAsString(tree);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("a spec's own JSON did not parse: " + e.getMessage(), e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper ROUTING =
            new com.fasterxml.jackson.databind.ObjectMapper();

    /**
     * @param name     the service name, for messages
     * @param json     JSON from {@link #encode}
     * @param replicas the replica count
     * @return the spec
     * @throws dev.orchestrator.api.OrchestratorException {@code INTERNAL} if the text is not a valid spec
     */
    public static ServiceSpec decode(String name, String json, int replicas) {
        return JSON.decodeSpec(name, json, replicas);
    }

    /**
     * @param check a health check
     * @return its JSON, in the store's form
     */
    public static String encode(dev.orchestrator.api.HealthCheckSpec check) {
        return JSON.encodeCheck(check);
    }

    /**
     * @param json JSON from {@link #encode(dev.orchestrator.api.HealthCheckSpec)}
     * @return the check
     * @throws dev.orchestrator.api.OrchestratorException {@code INTERNAL} if the text is not a valid check
     */
    public static dev.orchestrator.api.HealthCheckSpec decodeCheck(String json) {
        return JSON.decodeCheck(json);
    }
}
