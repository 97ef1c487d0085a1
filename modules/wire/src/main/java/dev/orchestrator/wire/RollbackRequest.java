package dev.orchestrator.wire;

/**
 * The body of {@code POST /api/services/{name}/rollback}; an empty body is {@code to} absent.
 *
 * @param to the revision to return to, or null for the one before the current one
 */
public record RollbackRequest(Long to) {
}
