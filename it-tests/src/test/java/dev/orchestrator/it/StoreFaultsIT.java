package dev.orchestrator.it;

import static dev.orchestrator.it.MultiNodeIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state store's faults against the built image, real SQLite and the machine's Docker engine
 * (docs/reliability.md): the data directory's disk full (a tmpfs of 8 MiB this test mounts; it
 * needs root) and the database file locked by another process (the {@code sqlite3} CLI). A write
 * must get a clear 503, reads go on, nothing half-written remains, and once the fault is gone
 * writes work again without a restart. Figures go to lines starting with {@code FAULTS:}.
 */
class StoreFaultsIT {
    private static final Path LOGS = Path.of("target", "store-faults-it");
    @TempDir
    Path work;

    @Test
    void aFullDiskAnswers503AndCorruptsNothing() throws Exception {
        Path mount = work.resolve("small");
        Files.createDirectories(mount);
        Command.ok("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount.toString());
        try {
            diskFull(mount);
        } finally {
            Command.ok("umount", "-l", mount.toString());
        }
    }

    private void diskFull(Path mount) throws Exception {
        Set<String> accepted = new TreeSet<>();
        try (FaultCluster cluster = FaultCluster.start(work, LOGS, mount.resolve("data"))) {
            cluster.deploy(spec("fltdisk0"));
            accepted.add("fltdisk0");
            long filler = fill(mount.resolve("filler"));
            Api.Response refused = null;
            // SQLite may place the first writes in the free space its files already hold.
            for (int i = 1; i <= 50 && refused == null; i++) {
                Api.Response r = cluster.api.post("/api/deploy", spec("fltdisk" + i));
                assertClear(r);
                if (r.status() == 201) {
                    accepted.add("fltdisk" + i);
                } else {
                    refused = r;
                }
            }
            assertTrue(refused != null, "a write refused within 50 deploys on a full disk");
            assertStoreUnavailable(refused, "disk is full");
            assertEquals(accepted, names(cluster), "reads answer on a full disk; the refused deploy left nothing");
            assertEquals(200, cluster.api.get("/api/nodes").status(), "the server answers");

            Files.delete(mount.resolve("filler"));
            long freed = System.nanoTime();
            Api.Response after = await(() -> cluster.api.post("/api/deploy", spec("fltdiskafter")),
                    r -> r.status() == 201, Duration.ofSeconds(15), "a deploy accepted after space is freed");
            double recovered = (System.nanoTime() - freed) / 1e9;
            accepted.add("fltdiskafter");
            assertEquals(201, after.status());
            assertEquals("ok", integrity(cluster.dataDir()), "integrity_check of the live database");
            System.out.printf("FAULTS: disk full: filler %d KiB, %d deploys accepted on the full disk before the"
                    + " first 503 (%s); writes again %.2f s after freeing space; integrity_check ok%n",
                    filler / 1024, accepted.size() - 2, refused.body(), recovered);
            restartAndCompare(cluster, accepted);
        }
    }

    @Test
    void aDatabaseLockedByAnotherProcessAnswers503AfterABoundedWaitAndRecovers() throws Exception {
        try (FaultCluster cluster = FaultCluster.start(work, LOGS, work.resolve("data"))) {
            cluster.deploy(spec("fltlock0"));
            Process holder = holdLock(cluster.dataDir().resolve("state.db"));
            long refusedAfterMillis;
            try {
                long start = System.nanoTime();
                Api.Response r = cluster.api.post("/api/deploy", spec("fltlock1"));
                refusedAfterMillis = (System.nanoTime() - start) / 1_000_000;
                assertClear(r);
                assertStoreUnavailable(r, "another process holds the database's lock");
                assertTrue(refusedAfterMillis < 20_000, "refused after a bounded wait: " + refusedAfterMillis + " ms");
                long readStart = System.nanoTime();
                assertEquals(Set.of("fltlock0"), names(cluster), "reads go on while the lock is held (WAL)");
                long readMillis = (System.nanoTime() - readStart) / 1_000_000;
                assertTrue(readMillis < 2000, "a read does not wait for the lock: " + readMillis + " ms");
            } finally {
                holder.getOutputStream().close(); // sqlite3 reads EOF, rolls back and exits
                if (!holder.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    holder.destroyForcibly();
                }
            }
            long released = System.nanoTime();
            Api.Response after = await(() -> cluster.api.post("/api/deploy", spec("fltlock2")),
                    x -> x.status() == 201, Duration.ofSeconds(20), "a deploy accepted after the lock is released");
            double recovered = (System.nanoTime() - released) / 1e9;
            assertEquals(201, after.status());
            assertEquals(Set.of("fltlock0", "fltlock2"), names(cluster));
            assertEquals("ok", integrity(cluster.dataDir()));
            System.out.printf("FAULTS: database locked by sqlite3 (BEGIN EXCLUSIVE): deploy refused with 503 after"
                    + " %d ms; reads answered meanwhile; a deploy accepted %.2f s after the release%n",
                    refusedAfterMillis, recovered);
        }
    }

    /** The server restarted on the same directory shows exactly what was accepted. */
    private static void restartAndCompare(FaultCluster cluster, Set<String> accepted) throws IOException {
        assertEquals(143, cluster.server().stop(), "SIGTERM stops the server cleanly");
        cluster.startServer();
        assertEquals(accepted, names(cluster), "after a restart");
        assertEquals("ok", integrity(cluster.dataDir()), "integrity_check after the restart");
    }

    /** 201 or 503, always JSON with error and message, never a 500 or a stack trace. */
    private static void assertClear(Api.Response r) {
        assertTrue(r.status() == 201 || r.status() == 503, () -> "201 or 503: " + r.status() + " " + r.body());
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat "), r::body);
    }

    private static void assertStoreUnavailable(Api.Response r, String reason) {
        assertEquals(503, r.status(), r.body());
        assertEquals("application/json", r.raw().headers().firstValue("Content-Type").orElse(""));
        JsonNode body = r.json();
        assertEquals("store_unavailable", body.get("error").asText(), r.body());
        assertTrue(body.get("message").asText().contains(reason), r.body());
    }

    private static Set<String> names(FaultCluster cluster) {
        Api.Response r = cluster.api.get("/api/services");
        assertEquals(200, r.status(), r.body());
        return StreamSupport.stream(r.json().spliterator(), false).map(s -> s.get("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** A deploy of one replica whose spec weighs about 40 KiB (its environment), to fill the WAL's slack. */
    private static String spec(String name) {
        var env = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            env.add("\"PAD" + i + "\": \"" + "x".repeat(4000) + "\"");
        }
        return """
                {"name": "%s", "image": "orchestrator-test/web:1", "replicas": 1, "env": {%s},
                 "resources": {"memory_mb": 16}}""".formatted(name, String.join(", ", env));
    }

    /** Writes zeros until the file system refuses; returns how many bytes went in. */
    private static long fill(Path file) throws IOException {
        long written = 0;
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            while (true) {
                out.write(chunk);
                written += chunk.length;
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return written;
    }

    /**
     * Starts {@code sqlite3} holding an exclusive transaction on the database and waits until it
     * says so (it waits up to 10 s for the server's own writes to let it in). The lock lasts
     * until its stdin is closed.
     */
    private static Process holdLock(Path db) throws IOException {
        Process p = new ProcessBuilder("sqlite3", db.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(".timeout 10000\nBEGIN EXCLUSIVE;\nSELECT 'held';\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        p.getOutputStream().flush();
        var reader = p.inputReader();
        String line = reader.readLine();
        assertEquals("held", line, "sqlite3 holds the lock");
        return p;
    }

    private static String integrity(Path dataDir) {
        return Command.ok("sqlite3", dataDir.resolve("state.db").toString(), "PRAGMA integrity_check").strip();
    }

    /** A short command run to its end. */
    static final class Command {
        private Command() {
        }

        /** Runs argv (at most 60 s) and returns its output; fails on a non-zero status. */
        static String ok(String... argv) {
            try {
                Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
                p.getOutputStream().close();
                String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
                    throw new AssertionError(String.join(" ", argv) + " failed: " + out);
                }
                return out;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
