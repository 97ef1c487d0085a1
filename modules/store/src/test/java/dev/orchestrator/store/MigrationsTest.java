package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationsTest {
    private static final String V1 = Migrations.DIRECTORY + "V1__init.sql";
    private static final String V2 = Migrations.DIRECTORY + "V2__nodes.sql";

    @TempDir
    Path dir;

    @Test
    void appliesOnceAndReopensIdempotently() throws SQLException {
        try (Store store = Store.open(dir)) {
            assertEquals(9, store.schemaVersion());
        }
        try (Store store = Store.open(dir)) {
            assertEquals(9, store.schemaVersion());
            store.settings().put("k", "v");
        }
        try (Store store = Store.open(dir)) {
            assertEquals(9, store.schemaVersion());
            assertEquals("v", store.settings().get("k").orElseThrow());
        }
        assertEquals(List.of("1:init", "2:nodes", "3:networks", "4:event_nodes", "5:service_revisions",
                "6:registry_credentials", "7:deployments", "8:user_roles", "9:node_credentials"), versionRows());
    }

    @Test
    void createsTheDataDirectoryAndFile() {
        Path nested = dir.resolve("a/b");
        try (Store store = Store.open(nested)) {
            assertEquals(nested.resolve("state.db").toAbsolutePath(), store.file());
        }
        assertTrue(Files.isRegularFile(nested.resolve("state.db")));
    }

    @Test
    void everyConnectionHasThePragmas() {
        try (Store store = Store.open(dir)) {
            assertEquals("wal", store.pragma("journal_mode"));
            assertEquals("1", store.pragma("synchronous"), "NORMAL");
            assertEquals("1", store.pragma("foreign_keys"));
            assertEquals("5000", store.pragma("busy_timeout"));
        }
    }

    @Test
    void refusesADatabaseFromANewerVersion() throws SQLException {
        Store.open(dir).close();
        try (Connection c = Fixtures.jdbc(dir)) {
            c.createStatement().executeUpdate("INSERT INTO schema_version VALUES (99, 'future', 0)");
        }
        var e = assertThrows(OrchestratorException.class, () -> Store.open(dir));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
        assertTrue(e.getMessage().contains("newer orchestrator"), e.getMessage());
    }

    @Test
    void appliesALaterMigrationOnAnExistingDatabase() throws SQLException {
        Store.open(dir, Clock.systemUTC(), new Migrations(List.of(V1, V2))).close();
        var three = new Migrations(List.of(V1, V2, "test-migration-good/V3__extra.sql"));
        try (Store store = Store.open(dir, Clock.systemUTC(), three)) {
            assertEquals(3, store.schemaVersion());
        }
        assertEquals(List.of("1:init", "2:nodes", "3:extra"), versionRows());
        assertTrue(tableExists("extra"));
        // Code that knows fewer versions than the file has refuses it.
        assertThrows(OrchestratorException.class,
                () -> Store.open(dir, Clock.systemUTC(), new Migrations(List.of(V1, V2))));
    }

    @Test
    void aVersionOneDatabaseGainsNodeAvailabilityAndAssignments() throws SQLException {
        Store.open(dir, Clock.systemUTC(), new Migrations(List.of(V1))).close();
        try (Connection c = Fixtures.jdbc(dir)) {
            c.createStatement().executeUpdate("INSERT INTO nodes (name, address, cpus, memory_bytes, status)"
                    + " VALUES ('node-1', 'local', 2, 1024, 'ready')");
        }
        try (Store store = Store.open(dir)) {
            assertEquals(9, store.schemaVersion());
            assertEquals(Availability.ACTIVE, store.nodes().get("node-1").orElseThrow().availability());
            assertEquals(List.of(), store.assignments().all());
        }
    }

    @Test
    void eventsOfAVersionThreeDatabaseStayReadableWithoutANode() throws SQLException {
        Store.open(dir, Clock.systemUTC(), new Migrations(List.of(V1, V2, "migration/V3__networks.sql"))).close();
        try (Connection c = Fixtures.jdbc(dir)) {
            c.createStatement().executeUpdate("INSERT INTO events (ts, type, service, container, message)"
                    + " VALUES (1000, 'deploy', 'web', NULL, 'Service web deployed')");
        }
        try (Store store = Store.open(dir)) {
            assertEquals(9, store.schemaVersion());
            var e = store.events().query(EventQuery.latest()).getFirst();
            assertEquals("Service web deployed", e.message());
            assertEquals(null, e.node());
        }
    }

    @Test
    void aFailingMigrationLeavesNoTrace() throws SQLException {
        Store.open(dir, Clock.systemUTC(), new Migrations(List.of(V1, V2))).close();
        var broken = new Migrations(List.of(V1, V2, "test-migration-broken/V3__broken.sql"));
        var e = assertThrows(OrchestratorException.class, () -> Store.open(dir, Clock.systemUTC(), broken));
        assertEquals(ErrorCode.INTERNAL, e.code());
        assertTrue(e.getMessage().contains("V3__broken.sql"), e.getMessage());
        assertFalse(tableExists("extra"), "the script's first statement was rolled back");
        assertEquals(List.of("1:init", "2:nodes"), versionRows());
        try (Store store = Store.open(dir)) {
            assertEquals(9, store.schemaVersion());
        }
    }

    @Test
    void migrationNamesMustCountFromOne() {
        assertThrows(IllegalArgumentException.class, () -> new Migrations(List.of("migration/V2__x.sql")));
        assertThrows(IllegalArgumentException.class, () -> new Migrations(List.of("migration/V1-init.sql")));
    }

    @Test
    void theScriptListMatchesTheResourceDirectory() throws URISyntaxException, IOException {
        Path directory = Path.of(Migrations.class.getResource(Migrations.DIRECTORY).toURI());
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(files.map(p -> p.getFileName().toString()).sorted().toList(), Migrations.SCRIPTS);
        }
    }

    @Test
    void splitsScriptsOnLinesEndingWithASemicolon() {
        String script = """
                -- comment; with a semicolon
                CREATE TABLE a (
                    x TEXT DEFAULT 'a;b' -- trailing
                );

                INSERT INTO a VALUES ('1');
                """;
        assertEquals(List.of("CREATE TABLE a (\n    x TEXT DEFAULT 'a;b' -- trailing\n)", "INSERT INTO a VALUES ('1')"),
                Migrations.statements(script));
        assertThrows(IllegalArgumentException.class, () -> Migrations.statements("SELECT 1"));
    }

    private List<String> versionRows() throws SQLException {
        try (Connection c = Fixtures.jdbc(dir);
             var rs = c.createStatement().executeQuery("SELECT version, description FROM schema_version ORDER BY 1")) {
            var rows = new ArrayList<String>();
            while (rs.next()) {
                rows.add(rs.getInt(1) + ":" + rs.getString(2));
            }
            return rows;
        }
    }

    private boolean tableExists(String name) throws SQLException {
        try (Connection c = Fixtures.jdbc(dir);
             var ps = c.prepareStatement("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")) {
            ps.setString(1, name);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
