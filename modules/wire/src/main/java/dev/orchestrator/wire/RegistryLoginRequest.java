package dev.orchestrator.wire;

/**
 * The body of {@code PUT /api/registries/{host}}: a registry's credentials, as the CLI sends
 * them. The password is never answered back.
 *
 * @param username the user name
 * @param password the password or token, in the clear
 */
public record RegistryLoginRequest(String username, String password) {
    /** The password never reaches a log through this record. */
    @Override
    public String toString() {
        return "RegistryLoginRequest[username=" + username + ", password=***]";
    }
}
