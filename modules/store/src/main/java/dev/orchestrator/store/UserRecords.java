package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.util.Optional;

/** The users of the REST API. See {@link StoreTx} for threading, blocking and failures. */
public interface UserRecords {
    /**
     * Creates a user or replaces its password hash.
     *
     * @param name         the user name: letters, digits, {@code . _ @ -}
     * @param passwordHash a hash made by {@link Passwords#hash}; anything else (a plain-text
     *                     password, say) is refused
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a bad name or a value that is not a hash
     */
    void put(String name, String passwordHash);

    /**
     * @param name a user name
     * @return the user's encoded password hash, for {@link Passwords#verify}, or empty if no such user
     */
    Optional<String> passwordHash(String name);

    /** @return whether at least one user exists (the server may create a first one when not) */
    boolean any();
}
