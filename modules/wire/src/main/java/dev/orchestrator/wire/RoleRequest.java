package dev.orchestrator.wire;

/**
 * The body of {@code PUT /api/users/{name}/role}.
 *
 * @param role {@code admin}, {@code operator} or {@code viewer}
 */
public record RoleRequest(String role) {
}
