package dev.orchestrator.cli;

import java.io.InputStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command reads from its surroundings besides its arguments: environment variables,
 * standard input and the clock. Tests pass their own.
 *
 * @param vars  environment variables
 * @param stdin standard input (read by {@code --password-stdin})
 * @param clock the clock ({@code events --since 10m})
 */
record Env(Map<String, String> vars, InputStream stdin, Clock clock) {
    /** Requires every component. */
    Env {
        vars = Map.copyOf(vars);
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(clock, "clock");
    }

    /** @return the process's environment, {@code System.in} and the UTC system clock */
    static Env system() {
        return new Env(System.getenv(), System.in, Clock.systemUTC());
    }

    /**
     * @param name a variable name
     * @return its value, if set and not blank
     */
    Optional<String> var(String name) {
        return Optional.ofNullable(vars.get(name)).filter(v -> !v.isBlank());
    }
}
