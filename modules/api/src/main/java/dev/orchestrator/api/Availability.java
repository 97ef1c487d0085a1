package dev.orchestrator.api;

import java.util.Locale;

/**
 * What a node accepts, as an operator set it. {@link #wireName()} is how the store and the REST
 * API spell it.
 */
public enum Availability {
    /** Gets new replicas ({@code uncordon}). */
    ACTIVE,
    /** Gets nothing new ({@code cordon}). */
    CORDONED,
    /** Gets nothing new, and its replicas move away ({@code drain}). */
    DRAINING;

    /** @return {@code active}, {@code cordoned} or {@code draining} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a wire name
     * @return the availability
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for anything but the three wire names
     */
    public static Availability parse(String text) {
        for (Availability a : values()) {
            if (a.wireName().equals(text)) {
                return a;
            }
        }
        throw OrchestratorException.invalid("node availability must be 'active', 'cordoned' or 'draining', got '"
                + text + "'");
    }
}
