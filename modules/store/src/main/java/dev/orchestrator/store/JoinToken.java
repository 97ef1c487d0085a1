package dev.orchestrator.store;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A join token as stored: its public id and the SHA-256 of its secret, never the secret.
 *
 * @param id           the token's id, 6..32 lower-case hex digits
 * @param secretSha256 hex SHA-256 of the secret part, 64 hex digits
 * @param createdAt    when it was made
 */
public record JoinToken(String id, String secretSha256, Instant createdAt) {
    /** Validates the id and the digest's form. */
    public JoinToken {
        if (id == null || !id.matches("[0-9a-f]{6,32}")) {
            throw dev.orchestrator.api.OrchestratorException.invalid("token id must be 6..32 hex digits");
        }
        if (secretSha256 == null || secretSha256.length() != 64) {
            throw dev.orchestrator.api.OrchestratorException.invalid("token digest must be 64 hex digits");
        }
        HexFormat.of().parseHex(secretSha256);
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
