package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Role;
import dev.orchestrator.store.internal.UserMapper;
import java.time.Clock;
import java.util.List;
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
        checked(name, passwordHash);
        access.run("put user '" + name + "'",
                session -> session.getMapper(UserMapper.class).upsert(name, passwordHash, clock.instant()));
    }

    @Override
    public boolean create(String name, String passwordHash, Role role) {
        checked(name, passwordHash);
        Objects.requireNonNull(role, "role");
        return access.write("add user '" + name + "'",
                session -> session.getMapper(UserMapper.class).insert(name, passwordHash, role, clock.instant())) == 1;
    }

    @Override
    public boolean setPassword(String name, String expected, String passwordHash) {
        checked(name, passwordHash);
        return access.write("set the password of user '" + name + "'", session -> {
            UserMapper users = session.getMapper(UserMapper.class);
            return expected == null ? users.setPassword(name, passwordHash, clock.instant())
                    : users.replacePassword(name, expected, passwordHash, clock.instant());
        }) == 1;
    }

    @Override
    public boolean setRole(String name, Role role) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        return access.write("set the role of user '" + name + "'",
                session -> session.getMapper(UserMapper.class).setRole(name, role, clock.instant())) == 1;
    }

    @Override
    public boolean remove(String name) {
        Objects.requireNonNull(name, "name");
        return access.write("remove user '" + name + "'",
                session -> session.getMapper(UserMapper.class).delete(name)) == 1;
    }

    @Override
    public Optional<UserRecord> find(String name) {
        Objects.requireNonNull(name, "name");
        return access.read("read user '" + name + "'", session -> session.getMapper(UserMapper.class).find(name));
    }

    @Override
    public List<UserRecord> all() {
        return access.read("list users", session -> session.getMapper(UserMapper.class).findAll());
    }

    @Override
    public int admins() {
        return access.read("count admins", session -> session.getMapper(UserMapper.class).admins());
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

    private static void checked(String name, String passwordHash) {
        Checks.name("user name", name);
        if (!Passwords.looksEncoded(passwordHash)) {
            // Deliberately does not echo the value: it may be a plain-text password.
            throw OrchestratorException.invalid("password hash of user '" + name
                    + "' must be made by Passwords.hash (pbkdf2-sha256$...)");
        }
    }
}
