package dev.orchestrator.server;

import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.cluster.Protocol;
import dev.orchestrator.kernel.PluginManager;
import dev.orchestrator.store.Passwords;
import dev.orchestrator.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeat latency while 8 clients send wrong passwords as fast as they are answered, against
 * the no-attack baseline measured in the same run, for: the throttles off (what the server did
 * before them), the default limits with every attacker on one address, and the default limits
 * with each attempt from a new loopback address. Run by hand (docs/benchmarks.md):
 * {@code mvn -B -o test -pl modules/server -am -Dtest=AuthFloodBench -Dsurefire.failIfNoSpecifiedTests=false
 * -Dbench.auth=true}; appends to {@code modules/server/target/bench-auth.txt}.
 */
class AuthFloodBench {
    private static final int ATTACKERS = 8;
    private static final int SAMPLES = 300;

    @TempDir
    Path dir;

    @Test
    void heartbeatLatencyUnderAWrongPasswordFlood() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("bench.auth"), "a benchmark: -Dbench.auth=true");
        Limits off = new Limits(Limits.DEFAULT.apiBody(), Limits.DEFAULT.agentBody(), Limits.DEFAULT.headerDeadline(),
                Limits.DEFAULT.idleTimeout(), Limits.DEFAULT.maxConnections(), Integer.MAX_VALUE, Integer.MAX_VALUE,
                Duration.ofMinutes(1), 1000, Limits.DEFAULT.rememberCredentials());
        run("throttles off (before)", off, false);
        run("default limits, one address", Limits.DEFAULT, false);
        run("default limits, new address per attempt", Limits.DEFAULT, true);
    }

    private void run(String scenario, Limits limits, boolean rotate) throws Exception {
        Path data = Files.createTempDirectory(dir, "data");
        String token;
        try (Store store = Store.open(data)) {
            store.users().put("admin", Passwords.hash("right-password".toCharArray()));
            token = store.inTransaction(tx -> JoinTokens.issue(tx, Instant.now())).token();
        }
        var d = ServerOptions.defaults(data, dir.resolve("plugins"), 0);
        var options = new ServerOptions("127.0.0.1", 0, data, d.pluginsDir(), "local", "127.0.0.1", false, "127.0.0.1",
                0, 0, Map.of(), Duration.ofSeconds(30), "spread", d.cpuOvercommit(), null, null, d.events(), null);
        try (ControlPlane plane = ControlPlane.start(options, PluginManager.discover(null),
                new PrintStream(new ByteArrayOutputStream()), limits)) {
            int port = plane.port();
            String body = new String(Protocol.write(new Protocol.Heartbeat("bench", "bench-id", "127.0.0.1", null,
                    Map.of(), 2, 1L << 30, "bench", null, null, null, null, false)), StandardCharsets.UTF_8);
            String bearer = "Authorization: Bearer " + token + "\r\n";
            try (var hb = new RawHttp(port)) {
                sample(hb, bearer, body, 100); // warm-up
                double[] base = sample(hb, bearer, body, SAMPLES);
                var stop = new AtomicBoolean();
                var attempts = new AtomicLong();
                var throttled = new AtomicLong();
                var counter = new AtomicLong();
                ExecutorService pool = Executors.newFixedThreadPool(ATTACKERS);
                for (int i = 0; i < ATTACKERS; i++) {
                    pool.submit(() -> attack(port, stop, attempts, throttled, counter, rotate));
                }
                Thread.sleep(2000); // the flood under way
                long cpu0 = cpuNanos();
                long wall0 = System.nanoTime();
                long attempts0 = attempts.get();
                double[] flood = sample(hb, bearer, body, SAMPLES);
                double wall = (System.nanoTime() - wall0) / 1e9;
                double cpu = (cpuNanos() - cpu0) / 1e9 / wall / Runtime.getRuntime().availableProcessors();
                long made = attempts.get() - attempts0;
                stop.set(true);
                pool.shutdown();
                pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
                String line = String.format(Locale.ROOT, "| %s | %.2f / %.2f ms | %.2f / %.2f ms | %.1fx / %.1fx"
                        + " | %.0f/s (%.0f %% answered 429) | %.0f %% |", scenario, p(base, 50), p(base, 99),
                        p(flood, 50), p(flood, 99), p(flood, 50) / p(base, 50), p(flood, 99) / p(base, 99),
                        made / wall, 100.0 * throttled.get() / Math.max(1, attempts.get()), 100 * cpu);
                System.out.println(line);
                Files.writeString(Path.of("target", "bench-auth.txt"), line + "\n", StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
        }
    }

    /** Heartbeats one after another on one connection; each one's latency in milliseconds, sorted. */
    private static double[] sample(RawHttp hb, String bearer, String body, int n) throws IOException {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            RawHttp.Response r = hb.exchange("POST", "/agent/v1/heartbeat?node=bench", bearer, body);
            ms[i] = (System.nanoTime() - t) / 1e6;
            if (r.status() != 200) {
                throw new IllegalStateException("heartbeat answered " + r.status() + ": " + r.body());
            }
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double p(double[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)];
    }

    private static void attack(int port, AtomicBoolean stop, AtomicLong attempts, AtomicLong throttled,
                               AtomicLong counter, boolean rotate) {
        String wrong = RawHttp.basic("admin", "wrong-password");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos(); // bounded whatever happens
        RawHttp c = null;
        try {
            while (!stop.get() && System.nanoTime() < deadline) {
                if (c == null || rotate) {
                    if (c != null) {
                        c.close();
                    }
                    long k = counter.incrementAndGet();
                    c = new RawHttp(port, rotate ? "127.1." + (k / 250 % 250 + 1) + "." + (k % 250 + 1) : "127.0.0.1");
                }
                RawHttp.Response r = c.exchange("GET", "/api/services", wrong, null);
                attempts.incrementAndGet();
                if (r.status() == 429) {
                    throttled.incrementAndGet();
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            if (c != null) {
                try {
                    c.close();
                } catch (IOException e) {
                    // done anyway
                }
            }
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }
}
