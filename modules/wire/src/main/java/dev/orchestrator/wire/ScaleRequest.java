package dev.orchestrator.wire;

/**
 * The body of {@code POST /api/services/{name}/scale}.
 *
 * @param replicas the new replica count
 */
public record ScaleRequest(Integer replicas) {
}
