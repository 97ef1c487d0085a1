package dev.orchestrator.wire;

/**
 * The body of {@code PUT /api/users/{name}/password}: a user's new password, in the clear.
 *
 * @param password the new password
 */
public record PasswordRequest(String password) {
    /** The password never reaches a log through this record. */
    @Override
    public String toString() {
        return "PasswordRequest[password=***]";
    }
}
