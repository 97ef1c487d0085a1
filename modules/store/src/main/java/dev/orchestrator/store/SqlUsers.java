package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.UserMapper;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** {@link UserRecords} on the {@code users} table. */
final class SqlUsers implements UserRecords {
    private final Access access;
    private final Clock clock;

    SqlUsers(Access access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    @Override
    public void put(String name, String passwordHash) {
        Checks.name("user name", name);
        if (!Passwords.looksEncoded(passwordHash)) {
            // Deliberately does not echo the value: it may be a plain-text password.
            throw OrchestratorException.invalid("password hash of user '" + name
                    + "' must be made by Passwords.hash (pbkdf2-sha256$...)");
        }
        access.run("put user '" + name + "'",
                session -> session.getMapper(UserMapper.class).upsert(name, passwordHash, clock.instant()));
    }

    @Override
    public Optional<String> passwordHash(String name) {
        Objects.requireNonNull(name, "name");
        return access.read("read user '" + name + "'",
                session -> session.getMapper(UserMapper.class).passwordHash(name));
    }

    @Override
    public boolean any() {
        return access.read("count users", session -> session.getMapper(UserMapper.class).any());
    }
}
