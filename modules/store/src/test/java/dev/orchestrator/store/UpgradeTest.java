package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.Availability;
import dev.orchestrator.api.NodeStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A newer server on an older data directory: for every older schema version, a database built
 * by the migrations up to it, holding representative rows of every table that version has
 * (written as that version's columns, behind the store's back), is opened by the current
 * store; every row must survive, readable through the store, and the store must take writes.
 */
class UpgradeTest {
    private static final long T = Fixtures.T0.toEpochMilli();

    @TempDir
    Path dir;

    static List<Integer> olderVersions() {
        int latest = Migrations.production().latest();
        return java.util.stream.IntStream.range(1, latest).boxed().toList();
    }

    @ParameterizedTest(name = "from schema version {0}")
    @MethodSource("olderVersions")
    void everyRowOfAnOlderDatabaseSurvivesTheUpgrade(int version) throws SQLException {
        String specJson = specJsonOf(dir.resolve("reference"));
        String hash = Passwords.hash("pw-of-admin".toCharArray());
        Path data = dir.resolve("v" + version);
        var upTo = Migrations.SCRIPTS.subList(0, version).stream().map(s -> Migrations.DIRECTORY + s).toList();
        try (Store old = Store.open(data, Clock.systemUTC(), new Migrations(upTo))) {
            assertEquals(version, old.schemaVersion());
        }
        try (Connection c = Fixtures.jdbc(data); var s = c.createStatement()) {
            insert(c, "INSERT INTO services (name, spec_json, replicas, revision, created_at, updated_at)"
                    + " VALUES (?, ?, 3, 2, ?, ?)", "web", specJson, T, T + 1);
            s.executeUpdate("INSERT INTO replicas (service, idx, node, container_id, container_name, revision, state,"
                    + " health, restart_count, last_exit_code, host_port, message, updated_at) VALUES"
                    + " ('web', 0, 'node-1', 'c0', 'web-0', 2, 'running', 'healthy', 1, 137, 30000, 'ok', " + T + ")");
            s.executeUpdate("INSERT INTO events (ts, type, service, container, message) VALUES (" + T
                    + ", 'deploy', 'web', NULL, 'Service web deployed')");
            insert(c, "INSERT INTO users (name, password_hash, created_at, updated_at) VALUES ('admin', ?, ?, ?)",
                    hash, T, T);
            s.executeUpdate("INSERT INTO nodes (name, address, labels_json, cpus, memory_bytes, status,"
                    + " runtime_version, last_heartbeat) VALUES ('node-1', '10.0.0.2', '{\"disk\":\"ssd\"}', 4,"
                    + " 1073741824, 'ready', '24.0.7', " + T + ")");
            s.executeUpdate("INSERT INTO settings (key, value, updated_at) VALUES ('cluster.id', 'abc123', " + T + ")");
            if (version >= 2) {
                s.executeUpdate("UPDATE nodes SET availability = 'cordoned'");
                s.executeUpdate("INSERT INTO assignments (service, idx, node, previous_node, assigned_at)"
                        + " VALUES ('web', 0, 'node-1', NULL, " + T + ")");
                s.executeUpdate("INSERT INTO join_tokens (id, secret_sha256, created_at) VALUES ('0123456789ab', '"
                        + "a".repeat(64) + "', " + T + ")");
            }
            if (version >= 3) {
                s.executeUpdate("INSERT INTO network_subnets (network, node, subnet, created_at)"
                        + " VALUES ('backend', 'node-1', '10.213.0.0/24', " + T + ")");
                s.executeUpdate("INSERT INTO service_addresses (service, address) VALUES ('web', '10.212.0.2')");
            }
            if (version >= 4) {
                s.executeUpdate("UPDATE events SET node = 'node-1'");
            }
            if (version >= 5) {
                insert(c, "INSERT INTO service_revisions (name, revision, spec_json, created_at) VALUES ('web', 2, ?, ?)",
                        specJson, T + 1);
            }
        }

        try (Store store = Store.open(data)) {
            assertEquals(Migrations.production().latest(), store.schemaVersion());
            ServiceRecord web = store.services().get("web").orElseThrow();
            assertEquals(Fixtures.full("web", 3), web.spec());
            assertEquals(2, web.revision());
            assertEquals(List.of(2L), store.services().revisions("web").stream().map(Revision::revision).toList(),
                    "the current spec is a kept revision");
            ReplicaRecord r = store.replicas().get("web", 0).orElseThrow();
            assertEquals(List.of("c0", "running", "healthy", 1, 137, 30000, "ok"), List.of(r.containerId(),
                    r.state().wireName(), r.health().wireName(), r.restartCount(), r.lastExitCode(), r.hostPort(),
                    r.message()));
            var event = store.events().query(EventQuery.latest()).getFirst();
            assertEquals("Service web deployed", event.message());
            assertEquals(version >= 4 ? "node-1" : null, event.node());
            assertEquals(hash, store.users().passwordHash("admin").orElseThrow());
            assertEquals(dev.orchestrator.api.Role.ADMIN, store.users().find("admin").orElseThrow().role(),
                    "the users from before roles are admins");
            NodeRecord n = store.nodes().get("node-1").orElseThrow();
            assertEquals(Map.of("disk", "ssd"), n.labels());
            assertEquals(NodeStatus.READY, n.status());
            assertEquals(version >= 2 ? Availability.CORDONED : Availability.ACTIVE, n.availability());
            assertEquals("abc123", store.settings().get("cluster.id").orElseThrow());
            assertEquals(version >= 2 ? 1 : 0, store.assignments().all().size());
            assertEquals(version >= 2 ? 1 : 0, store.tokens().all().size());
            assertEquals(version >= 3 ? List.of(new Subnet("backend", "node-1", "10.213.0.0/24")) : List.of(),
                    store.networks().subnets());
            assertEquals(version >= 3 ? Map.of("web", "10.212.0.2") : Map.of(), store.networks().addresses());

            // And it is a working store: a new revision is written and counted on from the old one.
            store.services().put(Fixtures.minimal("web", 1));
            assertEquals(3, store.services().get("web").orElseThrow().revision());
            assertTrue(store.services().revisions("web").size() >= 2);
        }
    }

    /** The spec column as the store writes it (the format has not changed since V1). */
    private static String specJsonOf(Path reference) throws SQLException {
        try (Store store = Store.open(reference)) {
            store.services().put(Fixtures.full("web", 3));
        }
        try (Connection c = Fixtures.jdbc(reference);
             var rs = c.createStatement().executeQuery("SELECT spec_json FROM services WHERE name = 'web'")) {
            assertTrue(rs.next());
            return rs.getString(1);
        }
    }

    private static void insert(Connection c, String sql, Object... values) throws SQLException {
        try (var ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }
}
