package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @TempDir
    Path dir;

    @Test
    void sealsWithAFreshNonceAndOpens() {
        var box = SecretBox.in(dir);
        String a = box.seal("registry x", "hunter2");
        String b = box.seal("registry x", "hunter2");
        assertNotEquals(a, b, "a random nonce per seal");
        assertEquals(SecretBox.NONCE_BYTES + "hunter2".length() + 16, Base64.getDecoder().decode(a).length);
        assertEquals("hunter2", box.open("registry x", a));
        assertEquals("hunter2", SecretBox.in(dir).open("registry x", b), "the key is read back from its file");
    }

    @Test
    void theContextIsBound() {
        var box = SecretBox.in(dir);
        String sealed = box.seal("registry x", "hunter2");
        assertInternal(() -> box.open("registry y", sealed));
    }

    @Test
    void alteredBytesDoNotOpen() {
        var box = SecretBox.in(dir);
        byte[] sealed = Base64.getDecoder().decode(box.seal("c", "hunter2"));
        sealed[sealed.length - 1] ^= 1;
        String tampered = Base64.getEncoder().encodeToString(sealed);
        assertInternal(() -> box.open("c", tampered));
        assertInternal(() -> box.open("c", "AAAA"));
        assertInternal(() -> box.open("c", "not base64!"));
    }

    @Test
    void withoutAKeyFileNothingOpensAndNoKeyIsMade() {
        var box = SecretBox.in(dir);
        assertInternal(() -> box.open("c", Base64.getEncoder().encodeToString(new byte[40])));
        assertTrue(Files.notExists(box.file()));
    }

    private static void assertInternal(org.junit.jupiter.api.function.Executable call) {
        var e = assertThrows(OrchestratorException.class, call);
        assertEquals(ErrorCode.INTERNAL, e.code());
    }
}
