package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Role;
import java.util.List;
import java.util.Optional;

/** The users of the REST API. See {@link StoreTx} for threading, blocking and failures. */
public interface UserRecords {
    /**
     * Creates an {@code admin} user or replaces the password hash of an existing user (its role
     * stays): how the server sets up its first user.
     *
     * @param name         the user name: letters, digits, {@code . _ @ -}
     * @param passwordHash a hash made by {@link Passwords#hash}; anything else (a plain-text
     *                     password, say) is refused
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a bad name or a value that is not a hash
     */
    void put(String name, String passwordHash);

    /**
     * Adds a user.
     *
     * @param name         the user name, as for {@link #put}
     * @param passwordHash a hash made by {@link Passwords#hash}
     * @param role         what the user may do
     * @return false, changing nothing, if a user of that name exists
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a bad name or a value that is not a hash
     */
    boolean create(String name, String passwordHash, Role role);

    /**
     * Replaces a user's password hash if it is still {@code expected}: a concurrent change wins.
     *
     * @param name         the user name
     * @param expected     the hash it must have now, or null for any
     * @param passwordHash the new hash, made by {@link Passwords#hash}
     * @return false, changing nothing, if there is no such user or its hash is not {@code expected}
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for a value that is not a hash
     */
    boolean setPassword(String name, String expected, String passwordHash);

    /**
     * @param name the user name
     * @param role its new role
     * @return false if there is no such user
     */
    boolean setRole(String name, Role role);

    /**
     * @param name the user name
     * @return false if there was no such user
     */
    boolean remove(String name);

    /**
     * @param name a user name
     * @return the user, or empty if none
     */
    Optional<UserRecord> find(String name);

    /** @return every user, by name */
    List<UserRecord> all();

    /** @return how many users have the {@code admin} role */
    int admins();

    /**
     * @param name a user name
     * @return the user's encoded password hash, for {@link Passwords#verify}, or empty if no such user
     */
    Optional<String> passwordHash(String name);

    /** @return whether at least one user exists (the server may create a first one when not) */
    boolean any();
}
