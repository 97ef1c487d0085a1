package dev.orchestrator.app;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Role;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.StoreTx;
import dev.orchestrator.store.UserRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The users of the REST API and their roles: list, add, change a password or a role, remove.
 * A password is hashed ({@link Passwords}, about 0.2 s of one core) before its transaction, so
 * no transaction waits for it. The cluster always keeps one admin: removing or demoting the last
 * one is refused. Each change is one transaction with its event (never a password).
 *
 * <p>Thread-safe; every method blocks on the store.
 */
public final class Users {
    /** Fewest characters of a password set through the API. */
    public static final int MIN_PASSWORD = 8;
    /** Most characters of a password. */
    public static final int MAX_PASSWORD = 1024;
    private static final String TYPE = "user";

    private final Store store;
    private final Clock clock;

    /**
     * @param store the store
     * @param clock the clock of the events
     */
    public Users(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * A user as shown: never the password or its hash.
     *
     * @param name      the user name
     * @param role      what the user may do
     * @param createdAt when the user was added
     * @param updatedAt when its password or role last changed
     */
    public record View(String name, Role role, Instant createdAt, Instant updatedAt) {
        /** Requires every field. */
        public View {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }

        static View of(UserRecord u) {
            return new View(u.name(), u.role(), u.createdAt(), u.updatedAt());
        }
    }

    /** @return every user, by name */
    public List<View> list() {
        return store.users().all().stream().map(View::of).toList();
    }

    /**
     * Adds a user.
     *
     * @param name     the user name
     * @param password its password, {@value #MIN_PASSWORD}-{@value #MAX_PASSWORD} characters
     * @param role     what it may do
     * @return the user as stored
     * @throws OrchestratorException {@code INVALID_ARGUMENT}, or {@code CONFLICT} if the name is taken
     */
    public View add(String name, String password, Role role) {
        UserRecord.checkName(name);
        Objects.requireNonNull(role, "role");
        String hash = hash(password);
        store.runInTransaction(tx -> {
            if (!tx.users().create(name, hash, role)) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "user '" + name + "' exists");
            }
            event(tx, "User " + name + " added (role " + role.wireName() + ")");
        });
        return get(name);
    }

    /**
     * Replaces a user's password: the old one stops working at once.
     *
     * @param name     the user name
     * @param password the new password
     * @throws OrchestratorException {@code INVALID_ARGUMENT}, or {@code NOT_FOUND}
     */
    public void passwd(String name, String password) {
        UserRecord.checkName(name);
        existing(name);
        String hash = hash(password);
        store.runInTransaction(tx -> {
            if (!tx.users().setPassword(name, null, hash)) {
                throw notFound(name);
            }
            event(tx, "Password of user " + name + " changed");
        });
    }

    /**
     * Gives a user another role.
     *
     * @param name the user name
     * @param role its new role
     * @return the user as stored
     * @throws OrchestratorException {@code NOT_FOUND}, or {@code CONFLICT} for the last admin
     */
    public View setRole(String name, Role role) {
        UserRecord.checkName(name);
        Objects.requireNonNull(role, "role");
        store.runInTransaction(tx -> {
            UserRecord u = tx.users().find(name).orElseThrow(() -> notFound(name));
            if (u.role() == role) {
                return;
            }
            if (u.role() == Role.ADMIN) {
                keepAnAdmin(tx, name, "give another role to");
            }
            tx.users().setRole(name, role);
            event(tx, "User " + name + " is now " + role.wireName() + " (was " + u.role().wireName() + ")");
        });
        return get(name);
    }

    /**
     * Removes a user: its credentials stop working at once.
     *
     * @param name the user name
     * @throws OrchestratorException {@code NOT_FOUND}, or {@code CONFLICT} for the last admin
     */
    public void remove(String name) {
        UserRecord.checkName(name);
        store.runInTransaction(tx -> {
            UserRecord u = tx.users().find(name).orElseThrow(() -> notFound(name));
            if (u.role() == Role.ADMIN) {
                keepAnAdmin(tx, name, "remove");
            }
            tx.users().remove(name);
            event(tx, "User " + name + " removed");
        });
    }

    private static void keepAnAdmin(StoreTx tx, String name, String what) {
        if (tx.users().admins() <= 1) {
            throw new OrchestratorException(ErrorCode.CONFLICT, "cannot " + what + " user '" + name
                    + "': it is the last admin (add another admin first)");
        }
    }

    private View get(String name) {
        return View.of(existing(name));
    }

    private UserRecord existing(String name) {
        return store.users().find(name).orElseThrow(() -> notFound(name));
    }

    private static OrchestratorException notFound(String name) {
        return new OrchestratorException(ErrorCode.NOT_FOUND, "no user '" + name + "'");
    }

    private void event(StoreTx tx, String message) {
        tx.events().append(new Event(clock.instant(), TYPE, null, null, message));
    }

    /** Checks a password's length (never echoing it) and hashes it. */
    private static String hash(String password) {
        if (password == null || password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
            throw OrchestratorException.invalid("password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD
                    + " characters, got " + (password == null ? "none" : password.length()));
        }
        return Passwords.hash(password.toCharArray());
    }
}
