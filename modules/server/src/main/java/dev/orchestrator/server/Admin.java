package dev.orchestrator.server;

import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The initial {@code admin} user. Its password comes from {@code ORCHESTRATOR_ADMIN_PASSWORD}
 * when set (which also resets a forgotten one); otherwise one is generated on the first start
 * and printed once. Only a salted PBKDF2 hash is stored.
 */
final class Admin {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The user name. */
    static final String USER = "admin";

    private Admin() {
    }

    static void ensure(Store store, String envPassword, PrintStream out) {
        if (envPassword != null && !envPassword.isEmpty()) {
            char[] pw = envPassword.toCharArray();
            boolean current = store.users().passwordHash(USER).map(h -> Passwords.verify(pw, h)).orElse(false);
            if (!current) {
                store.users().put(USER, Passwords.hash(pw));
            }
            return;
        }
        if (store.users().passwordHash(USER).isPresent()) {
            return;
        }
        byte[] random = new byte[18];
        RANDOM.nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        store.users().put(USER, Passwords.hash(generated.toCharArray()));
        out.println("Generated password for user '" + USER + "': " + generated);
        out.println("(shown once; set ORCHESTRATOR_ADMIN_PASSWORD to choose your own)");
    }
}
