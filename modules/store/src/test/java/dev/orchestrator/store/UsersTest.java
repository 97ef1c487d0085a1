package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Role;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersTest {
    // One derivation per hash is costly (0.2 s): the test makes two and reuses them.
    private static final String HASH = Passwords.hash("first".toCharArray());
    private static final String OTHER = Passwords.hash("second".toCharArray());

    @Test
    void usersHaveRolesAndTheFirstUserIsAnAdmin(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            store.users().put("admin", HASH);
            assertTrue(store.users().create("ann", HASH, Role.VIEWER));
            assertFalse(store.users().create("ann", OTHER, Role.ADMIN), "a name is taken once");
            assertTrue(store.users().create("ops", HASH, Role.OPERATOR));

            assertEquals(List.of("admin", "ann", "ops"), store.users().all().stream().map(UserRecord::name).toList());
            assertEquals(Role.ADMIN, store.users().find("admin").orElseThrow().role());
            UserRecord ann = store.users().find("ann").orElseThrow();
            assertEquals(Role.VIEWER, ann.role());
            assertEquals(HASH, ann.passwordHash(), "the second create changed nothing");
            assertFalse(ann.toString().contains(HASH), "a record's text leaves the hash out");
            assertEquals(1, store.users().admins());

            assertTrue(store.users().setRole("ann", Role.ADMIN));
            assertEquals(2, store.users().admins());
            store.users().put("ann", OTHER);
            assertEquals(Role.ADMIN, store.users().find("ann").orElseThrow().role(), "put keeps the role");
            assertFalse(store.users().setRole("nobody", Role.ADMIN));

            assertTrue(store.users().remove("ops"));
            assertFalse(store.users().remove("ops"));
            assertTrue(store.users().find("ops").isEmpty());
        }
    }

    @Test
    void aPasswordIsReplacedOnlyIfItIsStillTheOneExpected(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            store.users().create("bob", HASH, Role.OPERATOR);
            assertFalse(store.users().setPassword("bob", OTHER, OTHER), "another change came first");
            assertEquals(HASH, store.users().passwordHash("bob").orElseThrow());
            assertTrue(store.users().setPassword("bob", HASH, OTHER));
            assertEquals(OTHER, store.users().passwordHash("bob").orElseThrow());
            assertTrue(store.users().setPassword("bob", null, HASH), "null: whatever it was");
            assertFalse(store.users().setPassword("nobody", null, HASH));
            assertThrows(OrchestratorException.class, () -> store.users().setPassword("bob", null, "plain"));
            assertThrows(OrchestratorException.class, () -> store.users().create("bad name", HASH, Role.VIEWER));
        }
    }
}
