package dev.orchestrator.store;

import dev.orchestrator.api.Role;
import java.time.Instant;
import java.util.Objects;

/**
 * An API user as stored. {@link #toString()} leaves the hash out: records end up in messages.
 *
 * @param name         the user name
 * @param passwordHash the {@link Passwords} encoding of the password
 * @param role         what the user may do
 * @param createdAt    when the user was added
 * @param updatedAt    when its password or role last changed
 */
public record UserRecord(String name, String passwordHash, Role role, Instant createdAt, Instant updatedAt) {
    /** Requires every field. */
    public UserRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /**
     * @param name a user name
     * @return it, if valid: 1-253 letters, digits, {@code . _ @ -}, starting with a letter or digit
     * @throws dev.orchestrator.api.OrchestratorException {@code INVALID_ARGUMENT} otherwise
     */
    public static String checkName(String name) {
        return Checks.name("user name", name);
    }

    @Override
    public String toString() {
        return "UserRecord[name=" + name + ", role=" + role.wireName() + "]";
    }
}
