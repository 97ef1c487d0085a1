package dev.orchestrator.store;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A node's own credential as stored: the SHA-256 of its secret, never the secret.
 *
 * @param node         the node's name
 * @param secretSha256 hex SHA-256 of the secret, 64 hex digits
 * @param issuedAt     when the node joined and received it
 */
public record NodeCredential(String node, String secretSha256, Instant issuedAt) {
    /** Validates the name and the digest's form. */
    public NodeCredential {
        Checks.name("node", node);
        if (secretSha256 == null || secretSha256.length() != 64) {
            throw dev.orchestrator.api.OrchestratorException.invalid("credential digest must be 64 hex digits");
        }
        HexFormat.of().parseHex(secretSha256);
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
