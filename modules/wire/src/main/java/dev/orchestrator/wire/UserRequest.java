package dev.orchestrator.wire;

/**
 * The body of {@code POST /api/users}: a new user. The password is never answered back.
 *
 * @param name     the user name
 * @param password the password, in the clear
 * @param role     {@code admin}, {@code operator} or {@code viewer}
 */
public record UserRequest(String name, String password, String role) {
    /** The password never reaches a log through this record. */
    @Override
    public String toString() {
        return "UserRequest[name=" + name + ", password=***, role=" + role + "]";
    }
}
