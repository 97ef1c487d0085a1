package dev.orchestrator.store;

import static dev.orchestrator.store.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistriesTest {
    private static final String PASSWORD = "Zebra-Quokka-7731-secret";

    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    private static RegistryCredential credential(String host, String password) {
        return new RegistryCredential(host, "ci", password, T0);
    }

    @Test
    void roundTripReplaceAndDelete() {
        assertEquals(Optional.empty(), store.registries().get("127.0.0.1:5000"));
        store.registries().put(credential("127.0.0.1:5000", PASSWORD));
        assertEquals(Optional.of(credential("127.0.0.1:5000", PASSWORD)), store.registries().get("127.0.0.1:5000"));
        var replaced = new RegistryCredential("127.0.0.1:5000", "bot", "other", T0.plusSeconds(5));
        store.registries().put(replaced);
        assertEquals(Optional.of(replaced), store.registries().get("127.0.0.1:5000"));
        assertTrue(store.registries().delete("127.0.0.1:5000"));
        assertFalse(store.registries().delete("127.0.0.1:5000"));
        assertFalse(store.registries().delete("never.example.com"));
        assertEquals(List.of(), store.registries().all());
    }

    @Test
    void allIsOrderedByHost() {
        store.registries().put(credential("registry.example.com", "a"));
        store.registries().put(credential("docker.io", "b"));
        store.registries().put(credential("localhost:5000", "c"));
        assertEquals(List.of("docker.io", "localhost:5000", "registry.example.com"),
                store.registries().all().stream().map(RegistryCredential::host).toList());
    }

    @Test
    void worksInATransaction() {
        store.runInTransaction(tx -> tx.registries().put(credential("docker.io", PASSWORD)));
        assertEquals(PASSWORD, store.registries().get("docker.io").orElseThrow().password());
    }

    @Test
    void blankHostOrUserIsInvalid() {
        var e = assertThrows(OrchestratorException.class, () -> store.registries().put(credential(" ", "p")));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertThrows(OrchestratorException.class,
                () -> store.registries().put(new RegistryCredential("docker.io", "", "p", T0)));
    }

    @Test
    void thePasswordIsNotInTheDatabaseFiles() throws IOException {
        store.registries().put(credential("docker.io", PASSWORD));
        byte[] needle = PASSWORD.getBytes(StandardCharsets.UTF_8);
        for (String name : List.of(Store.FILE_NAME, Store.FILE_NAME + "-wal")) {
            Path f = dir.resolve(name);
            if (Files.exists(f)) {
                assertFalse(contains(Files.readAllBytes(f), needle), name + " holds the password");
            }
        }
        assertTrue(Files.exists(dir.resolve(Store.FILE_NAME + "-wal")), "the write went to the WAL");
    }

    @Test
    void aReopenedStoreReadsItBack() {
        store.registries().put(credential("docker.io", PASSWORD));
        store.close();
        store = Store.open(dir);
        assertEquals(PASSWORD, store.registries().get("docker.io").orElseThrow().password());
    }

    @Test
    void theKeyFileIsTheOwnersOnly() throws IOException {
        Path key = dir.resolve(SecretBox.FILE_NAME);
        assertFalse(Files.exists(key), "made on first need");
        store.registries().put(credential("docker.io", PASSWORD));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals(SecretBox.KEY_BYTES, Files.size(key));
    }

    @Test
    void anotherKeyDoesNotDecrypt() throws IOException {
        store.registries().put(credential("docker.io", PASSWORD));
        store.close();
        Path key = dir.resolve(SecretBox.FILE_NAME);
        Files.delete(key);
        Files.write(key, new byte[SecretBox.KEY_BYTES]);
        store = Store.open(dir);
        var e = assertThrows(OrchestratorException.class, () -> store.registries().get("docker.io"));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("docker.io") && e.getMessage().contains(SecretBox.FILE_NAME),
                e.getMessage());
        assertFalse(e.getMessage().contains(PASSWORD));
        assertThrows(OrchestratorException.class, () -> store.registries().all());
    }

    @Test
    void aRowCopiedToAnotherHostDoesNotDecrypt() throws SQLException {
        store.registries().put(credential("docker.io", PASSWORD));
        try (Connection c = Fixtures.jdbc(dir)) {
            c.createStatement().executeUpdate("INSERT INTO registry_credentials (host, username, secret, updated_at)"
                    + " SELECT 'evil.example.com', username, secret, updated_at FROM registry_credentials");
        }
        var e = assertThrows(OrchestratorException.class, () -> store.registries().get("evil.example.com"));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("evil.example.com"), e.getMessage());
    }

    @Test
    void aKeyFileOfTheWrongSizeFailsTheOpen() throws IOException {
        store.close();
        Files.write(dir.resolve(SecretBox.FILE_NAME), new byte[16]);
        var e = assertThrows(OrchestratorException.class, () -> Store.open(dir));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains(SecretBox.FILE_NAME), e.getMessage());
        Files.delete(dir.resolve(SecretBox.FILE_NAME));
        store = Store.open(dir); // the failed open released the directory lock
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
