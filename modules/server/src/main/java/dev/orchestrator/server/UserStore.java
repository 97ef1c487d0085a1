package dev.orchestrator.server;

import dev.orchestrator.api.Role;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import dev.orchestrator.store.UserRecord;
import io.helidon.security.providers.httpauth.SecureUserStore;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The users Helidon's basic-auth provider checks against: PBKDF2 hashes in the store. A
 * successful check is remembered for a while (a minute by default) as a SHA-256 of the
 * password, so a CLI session does not pay PBKDF2's deliberate cost (about 0.2 s) on every
 * request. A remembered check still reads the user's row, so a changed password, a new role
 * or a removed user takes effect on the next request. At most one entry per user, so the
 * memory is bounded by the users, not by clients. A hash made with fewer iterations than
 * {@link Passwords#ITERATIONS} is replaced at the user's next successful login. Never logs
 * passwords.
 */
final class UserStore implements SecureUserStore {
    private record Verified(byte[] digest, String hash, Instant until) {
    }

    private final Store store;
    private final Clock clock;
    private final Duration remember;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    UserStore(Store store, Clock clock, Duration remember) {
        this.store = store;
        this.clock = clock;
        this.remember = remember;
    }

    /**
     * @param login    a user name
     * @param password a password
     * @return the user's role if that password of that user was found correct recently and is
     *         still its password: a check of it costs no derivation
     */
    Optional<Role> remembered(String login, char[] password) {
        Verified v = verified.get(login);
        if (v == null || !clock.instant().isBefore(v.until()) || !MessageDigest.isEqual(v.digest(), sha256(password))) {
            return Optional.empty();
        }
        Optional<UserRecord> user = store.users().find(login);
        if (user.isEmpty() || !user.get().passwordHash().equals(v.hash())) {
            verified.remove(login, v);
            return Optional.empty();
        }
        return Optional.of(user.get().role());
    }

    /**
     * @param login an authenticated user
     * @return its role now, or empty if it was removed meanwhile
     */
    Optional<Role> role(String login) {
        return store.users().find(login).map(UserRecord::role);
    }

    @Override
    public Optional<User> user(String login) {
        return store.users().passwordHash(login).map(hash -> new User() {
            @Override
            public String login() {
                return login;
            }

            @Override
            public boolean isPasswordValid(char[] password) {
                return check(login, hash, password);
            }
        });
    }

    private boolean check(String login, String hash, char[] password) {
        byte[] digest = sha256(password);
        Verified v = verified.get(login);
        if (v != null && v.hash().equals(hash) && clock.instant().isBefore(v.until())
                && MessageDigest.isEqual(v.digest(), digest)) {
            return true;
        }
        if (!Passwords.verify(password, hash)) {
            return false;
        }
        String kept = hash;
        if (Passwords.needsRehash(hash)) {
            // A hash of an earlier release's cost: replaced now that the password is at hand,
            // unless it changed meanwhile (then the new one stands).
            String fresh = Passwords.hash(password);
            if (store.users().setPassword(login, hash, fresh)) {
                kept = fresh;
            }
        }
        verified.put(login, new Verified(digest, kept, clock.instant().plus(remember)));
        return true;
    }

    private static byte[] sha256(char[] password) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        try {
            return MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(bytes.array(), bytes.limit()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(bytes.array(), (byte) 0);
        }
    }
}
