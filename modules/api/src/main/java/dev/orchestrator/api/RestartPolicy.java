package dev.orchestrator.api;

import java.util.Locale;

/** When a replica whose container stopped is started again. */
public enum RestartPolicy {
    /** Always restart (the default). */
    ALWAYS,
    /** Restart only after a non-zero exit code or a failed health check. */
    ON_FAILURE,
    /** Never restart; the replica stays as it ended. */
    NEVER;

    /** @return the wire form: {@code always}, {@code on-failure}, {@code never} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * @param text the wire form, or null for the default
     * @return the policy
     */
    public static RestartPolicy parse(String text) {
        if (text == null) {
            return ALWAYS;
        }
        for (RestartPolicy p : values()) {
            if (p.wireName().equals(text)) {
                return p;
            }
        }
        throw OrchestratorException.invalid("restart_policy must be 'always', 'on-failure' or 'never', got '"
                + text + "'");
    }
}
