package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordsTest {
    @Test
    void verifiesTheRightPasswordOnly() {
        String hash = Passwords.hash("correct horse".toCharArray());
        assertTrue(Passwords.verify("correct horse".toCharArray(), hash));
        assertFalse(Passwords.verify("correct horsE".toCharArray(), hash));
        assertFalse(Passwords.verify("".toCharArray(), hash));
        assertFalse(Passwords.verify(null, hash));
    }

    @Test
    void hasTheDocumentedFormat() {
        String[] parts = Passwords.hash("pw".toCharArray()).split("\\$");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha256", parts[0]);
        assertTrue(Integer.parseInt(parts[1]) >= 600_000, "OWASP's 600,000 iterations");
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(32, Base64.getDecoder().decode(parts[3]).length);
    }

    @Test
    void twoHashesOfOnePasswordDiffer() {
        String a = Passwords.hash("same".toCharArray());
        String b = Passwords.hash("same".toCharArray());
        assertNotEquals(a, b);
        assertTrue(Passwords.verify("same".toCharArray(), a));
        assertTrue(Passwords.verify("same".toCharArray(), b));
    }

    @Test
    void leavesTheCallersArrayAlone() {
        char[] pw = "keep me".toCharArray();
        Passwords.verify(pw, Passwords.hash(pw));
        assertEquals("keep me", new String(pw));
    }

    @Test
    void garbageNeverVerifiesNorThrows() {
        char[] pw = "pw".toCharArray();
        String good = Passwords.hash(pw);
        String[] parts = good.split("\\$");
        for (String bad : new String[] {
                null, "", "pw", "$$$", "pbkdf2-sha256$$$", "bcrypt$210000$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$abc$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$0$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$2000000000$" + parts[2] + "$" + parts[3],
                "pbkdf2-sha256$1000$!!!$" + parts[3],
                "pbkdf2-sha256$1000$" + parts[2] + "$",
                "pbkdf2-sha256$1000$" + parts[2] + "$" + parts[3] + "$extra",
                good.substring(0, good.length() - 4)}) {
            assertFalse(Passwords.verify(pw, bad), String.valueOf(bad));
        }
    }

    @Test
    void olderCheaperHashesVerifyAndAskToBeReplaced() throws Exception {
        // A hash as an earlier release made it, with 210,000 iterations.
        byte[] salt = new byte[16];
        var spec = new javax.crypto.spec.PBEKeySpec("pw".toCharArray(), salt, 210_000, 256);
        byte[] hash = javax.crypto.SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec)
                .getEncoded();
        var b64 = Base64.getEncoder().withoutPadding();
        String old = "pbkdf2-sha256$210000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
        assertTrue(Passwords.verify("pw".toCharArray(), old));
        assertTrue(Passwords.needsRehash(old));
        assertFalse(Passwords.needsRehash(Passwords.hash("pw".toCharArray())));
        assertTrue(Passwords.needsRehash("not a hash"));
    }

    @Test
    void refusesAnEmptyPassword() {
        var e = assertThrows(OrchestratorException.class, () -> Passwords.hash(new char[0]));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void theStoreKeepsHashesAndRefusesPlainText(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            assertFalse(store.users().any());
            assertEquals(Optional.empty(), store.users().passwordHash("admin"));
            String hash = Passwords.hash("pw".toCharArray());
            store.users().put("admin", hash);
            assertTrue(store.users().any());
            assertTrue(Passwords.verify("pw".toCharArray(), store.users().passwordHash("admin").orElseThrow()));

            String newHash = Passwords.hash("pw2".toCharArray());
            store.users().put("admin", newHash);
            assertEquals(Optional.of(newHash), store.users().passwordHash("admin"));

            var e = assertThrows(OrchestratorException.class, () -> store.users().put("bob", "hunter2"));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
            assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
            assertThrows(OrchestratorException.class, () -> store.users().put("bad name", hash));
            assertEquals(Optional.empty(), store.users().passwordHash("bob"));
        }
    }
}
