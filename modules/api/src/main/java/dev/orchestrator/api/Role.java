package dev.orchestrator.api;

import java.util.Locale;

/**
 * What an API user may do. Each role includes the ones below it: a {@code viewer} reads
 * (services, nodes, events, logs, metrics, the dashboard); an {@code operator} also changes
 * services and nodes (deploy, scale, rollback, remove, cordon, uncordon, drain); an
 * {@code admin} also manages users, join tokens and registry credentials.
 */
public enum Role {
    /** Read only. */
    VIEWER,
    /** Runs the services: deploys, scales, drains. */
    OPERATOR,
    /** Everything, users and cluster credentials included. */
    ADMIN;

    /** @return the role as the API and the store spell it, e.g. {@code operator} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param needed the role a request needs
     * @return whether this role may make it
     */
    public boolean includes(Role needed) {
        return compareTo(needed) >= 0;
    }

    /**
     * @param text a role's wire name
     * @return the role
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the roles, for anything else
     */
    public static Role parse(String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return r;
            }
        }
        throw OrchestratorException.invalid("role must be admin, operator or viewer, got '" + text + "'");
    }
}
