package dev.orchestrator.bench.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Scale by simulation: N real {@code Node}s on fake runtimes against a real server started by
 * {@code bench/sim.sh} in its own process. Phases, each bounded:
 *
 * <ol>
 *   <li>start the nodes ({@code sim-001}..), wait until the API shows them all ready;</li>
 *   <li>deploy the services with {@code --clients} parallel clients; time to every replica placed
 *       (assigned to a node in {@code GET /api/services}) and running;</li>
 *   <li>steady state: the server's CPU (utime+stime) and RSS, and the bytes between the server
 *       and the nodes, over {@code --steady} seconds without API calls;</li>
 *   <li>close {@code --kill} nodes abruptly (no word to the server); time to the API showing them
 *       down and every replica running on the other nodes.</li>
 * </ol>
 *
 * Prints the results and writes them to {@code --results}. Exits 0 if every phase finished in
 * time, 1 otherwise (the figures measured so far are still written).
 */
public final class Simulation {
    private final Map<String, String> args;
    private final URI server;
    private final ProcStats serverProc;
    private final ProcStats self = new ProcStats(0);
    private final int nodes;
    private final int services;
    private final int replicas;
    private final int total;
    private final List<SimNode> sim = new ArrayList<>();
    private final List<String> out = new ArrayList<>();
    private final long deadline;

    private Simulation(Map<String, String> args) {
        this.args = args;
        this.server = URI.create(require("server"));
        this.serverProc = new ProcStats(Long.parseLong(require("server-pid")));
        this.nodes = intArg("nodes", 100);
        this.services = intArg("services", 1000);
        this.replicas = intArg("replicas", 5);
        this.total = services * replicas;
        this.deadline = System.nanoTime() + Duration.ofSeconds(intArg("deadline", 330)).toNanos();
    }

    /**
     * @param argv {@code --server URL --server-pid PID --password P --data-dir DIR --results FILE}
     *             and optionally {@code --nodes --services --replicas --clients --steady --kill --deadline}
     */
    public static void main(String[] argv) throws Exception {
        var args = new HashMap<String, String>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (!argv[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value, got " + argv[i]);
            }
            args.put(argv[i].substring(2), argv[i + 1]);
        }
        boolean ok;
        var s = new Simulation(args);
        try {
            ok = s.run();
        } finally {
            s.sim.forEach(SimNode::close);
            s.write();
        }
        System.exit(ok ? 0 : 1);
    }

    private boolean run() throws Exception {
        try (var api = new Api(server, require("password"))) {
            String token = api.token();
            line("config", nodes + " nodes (16 CPUs, 16 GiB each, heartbeat 1 s), " + services + " services x "
                    + replicas + " replicas = " + total + ", " + published() + " of them with a published port");
            if (!startNodes(api, token)) {
                return false;
            }
            boolean converged = deploy(api);
            if (!converged) {
                line("note", "the deploy did not converge in time: the steady state below is of what was placed");
            }
            // steady() always runs, for the figures; failover only after a full convergence.
            return steady() && converged && failover(api);
        }
    }

    private int published() {
        return Math.max(1, services / 100);
    }

    private boolean startNodes(Api api, String token) throws Exception {
        long t0 = System.nanoTime();
        Path data = Path.of(require("data-dir"));
        for (int i = 1; i <= nodes; i++) {
            String name = String.format(Locale.ROOT, "sim-%03d", i);
            sim.add(new SimNode(name, Files.createDirectories(data.resolve(name)), server, token, i));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
            var started = new ArrayList<Future<?>>();
            sim.forEach(n -> started.add(pool.submit(n::start)));
            for (Future<?> f : started) {
                f.get();
            }
        }
        boolean ready = until(Duration.ofSeconds(60), () -> api.readyNodes() == nodes);
        line("nodes ready", ready ? ms(t0) + " ms after the first node was created" : "TIMEOUT: " + api.readyNodes());
        return ready;
    }

    private boolean deploy(Api api) throws Exception {
        int clients = intArg("clients", 8);
        var next = new AtomicInteger();
        var failures = new AtomicInteger();
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < services; ) {
                    try {
                        api.deploy(spec(i));
                    } catch (IOException | RuntimeException e) {
                        if (failures.getAndIncrement() < 5) {
                            System.err.println("deploy " + i + " failed: " + e.getMessage());
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        pool.shutdown();
        long[] at = {-1, -1, -1};
        boolean done = until(Duration.ofSeconds(180), () -> {
            if (at[0] < 0 && pool.isTerminated()) {
                at[0] = ms(t0);
            }
            Api.Counts c = api.counts(Set.of());
            if (at[1] < 0 && c.placed() >= total) {
                at[1] = ms(t0);
            }
            if (c.running() >= total) {
                at[2] = ms(t0);
            }
            progress("deploy", t0, c);
            return at[2] >= 0 && at[1] >= 0;
        });
        if (at[0] < 0 && pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
            at[0] = ms(t0); // the last answers came in the same poll interval as convergence
        }
        pool.shutdownNow();
        line("deploy: API accepted all " + services + " (" + clients + " clients)",
                at[0] < 0 ? "not within the wait" : at[0] + " ms" + (failures.get() > 0 ? ", " + failures + " failed" : ""));
        line("deploy: all " + total + " replicas placed", at[1] < 0 ? "TIMEOUT" : at[1] + " ms");
        line("deploy: all " + total + " replicas running", at[2] < 0 ? "TIMEOUT" : at[2] + " ms");
        return done;
    }

    private String spec(int i) {
        String name = String.format(Locale.ROOT, "svc-%04d", i);
        String ports = i < published() ? "[{\"container_port\":8080,\"host_port\":" + (20000 + i) + "}]"
                : "[{\"container_port\":8080}]";
        return "{\"name\":\"" + name + "\",\"image\":\"" + SimNode.IMAGE + "\",\"replicas\":" + replicas
                + ",\"ports\":" + ports + ",\"resources\":{\"cpu_shares\":128,\"memory_mb\":64}}";
    }

    private boolean steady() throws InterruptedException {
        Thread.sleep(3000); // the last reports and views of the convergence settle
        int seconds = intArg("steady", 60);
        long cpu0 = serverProc.cpuMillis();
        long self0 = self.cpuMillis();
        long sent0 = sent();
        long recv0 = received();
        long reports0 = reports();
        long t0 = System.nanoTime();
        long rssMax = 0;
        long rssSum = 0;
        int samples = 0;
        for (int s = 0; s < seconds; s += 5) {
            Thread.sleep(Math.min(5, seconds - s) * 1000L);
            long rss = serverProc.rssMiB();
            rssMax = Math.max(rssMax, rss);
            rssSum += rss;
            samples++;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpu = (serverProc.cpuMillis() - cpu0) / 10.0 / wall;
        double harness = (self.cpuMillis() - self0) / 10.0 / wall;
        double reportRate = (reports() - reports0) / wall;
        line("steady state (" + seconds + " s, no API calls): server CPU", String.format(Locale.ROOT,
                "%.1f %% of one core (goal <= 10 %%); %.1f reports/s from %d nodes, %.2f ms CPU per report",
                cpu, reportRate, nodes, cpu * 10 / Math.max(1e-9, reportRate)));
        line("steady state: server RSS", String.format(Locale.ROOT, "%d MiB mean, %d MiB max (%d samples)",
                rssSum / Math.max(1, samples), rssMax, samples));
        line("steady state: nodes -> server", rate(sent() - sent0, wall));
        line("steady state: server -> nodes", rate(received() - recv0, wall));
        line("steady state: harness CPU (" + nodes + " nodes in one JVM)", String.format(Locale.ROOT,
                "%.1f %% of one core, RSS %d MiB", harness, self.rssMiB()));
        return true;
    }

    private String rate(long bytes, double seconds) {
        double perSecond = bytes / seconds;
        return String.format(Locale.ROOT, "%.1f KiB/s (%.0f B/s per node; HTTP bodies only)", perSecond / 1024,
                perSecond / nodes);
    }

    private boolean failover(Api api) throws Exception {
        int kill = intArg("kill", Math.max(1, nodes / 10));
        Set<String> dead = new HashSet<>();
        long t0 = System.nanoTime();
        for (SimNode n : sim.subList(nodes - kill, nodes)) {
            n.close();
            dead.add(n.name());
        }
        long[] at = {-1, -1, -1};
        boolean done = until(Duration.ofSeconds(120), () -> {
            if (at[0] < 0 && api.readyNodes() == nodes - kill) {
                at[0] = ms(t0);
            }
            Api.Counts c = api.counts(dead);
            if (at[1] < 0 && c.placed() >= total) {
                at[1] = ms(t0);
            }
            if (c.running() >= total) {
                at[2] = ms(t0);
            }
            progress("failover", t0, c);
            return at[0] >= 0 && at[1] >= 0 && at[2] >= 0;
        });
        String what = "failover: " + kill + " nodes closed abruptly (server's --node-timeout default 5 s)";
        line(what + ", all down", at[0] < 0 ? "TIMEOUT" : at[0] + " ms");
        line(what + ", all " + total + " placed elsewhere", at[1] < 0 ? "TIMEOUT" : at[1] + " ms");
        line(what + ", all " + total + " running elsewhere", at[2] < 0 ? "TIMEOUT" : at[2] + " ms");
        return done;
    }

    private long sent() {
        return sim.stream().mapToLong(SimNode::bytesSent).sum();
    }

    private long reports() {
        return sim.stream().mapToLong(SimNode::reportsSent).sum();
    }

    private long received() {
        return sim.stream().mapToLong(SimNode::bytesReceived).sum();
    }

    private interface Check {
        boolean done() throws Exception;
    }

    /** Polls every 500 ms until done, {@code limit} passes, or the run's deadline. */
    private boolean until(Duration limit, Check check) throws Exception {
        long end = Math.min(deadline, System.nanoTime() + limit.toNanos());
        while (System.nanoTime() < end) {
            if (check.done()) {
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private long lastProgress;

    private void progress(String phase, long t0, Api.Counts c) {
        if (System.nanoTime() - lastProgress > 5_000_000_000L) {
            lastProgress = System.nanoTime();
            System.out.printf(Locale.ROOT, "  [%s +%d ms] services %d, desired %d, placed %d, running %d%n", phase,
                    ms(t0), c.services(), c.desired(), c.placed(), c.running());
        }
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private void line(String what, String value) {
        String l = what + ": " + value;
        System.out.println(l);
        out.add(l);
    }

    private void write() throws IOException {
        String file = args.get("results");
        if (file != null) {
            var text = new ArrayList<String>();
            text.add("# bench/sim results, " + Instant.now());
            text.addAll(out);
            Files.write(Path.of(file), text);
        }
    }

    private String require(String name) {
        String v = args.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    private int intArg(String name, int fallback) {
        return Integer.parseInt(args.getOrDefault(name, Integer.toString(fallback)));
    }
}
