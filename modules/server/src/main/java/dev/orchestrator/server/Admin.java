package dev.orchestrator.server;

import dev.orchestrator.api.Role;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The initial {@code admin} user. Its password comes from {@code ORCHESTRATOR_ADMIN_PASSWORD}
 * or the server's {@code --admin-password-file} when set (which also resets a forgotten one,
 * and gives the user back the admin role); otherwise one is generated on the first start (no
 * user at all) and printed once. Only a salted PBKDF2 hash is stored.
 */
final class Admin {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The user name. */
    static final String USER = "admin";

    private Admin() {
    }

    /**
     * @param store    the store
     * @param password the password the operator chose, or null
     * @param out      where a generated password is printed
     */
    static void ensure(Store store, String password, PrintStream out) {
        if (password != null && !password.isEmpty()) {
            char[] pw = password.toCharArray();
            var user = store.users().find(USER);
            if (user.isEmpty() || !Passwords.verify(pw, user.get().passwordHash())) {
                store.users().put(USER, Passwords.hash(pw));
            }
            if (user.isPresent() && user.get().role() != Role.ADMIN) {
                store.users().setRole(USER, Role.ADMIN);
            }
            return;
        }
        // Only on the very first start: an admin removed on purpose is not brought back.
        if (store.users().any()) {
            return;
        }
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        store.users().put(USER, Passwords.hash(generated.toCharArray()));
        out.println("Generated password for user '" + USER + "': " + generated);
        out.println("(shown once; set ORCHESTRATOR_ADMIN_PASSWORD or --admin-password-file to choose your own)");
    }
}
