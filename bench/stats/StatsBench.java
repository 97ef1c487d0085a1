import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.RuntimeDriverFactory;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The cost of the nodes' stats collector (bench/stats.sh): the Docker runtime's stats reads as
 * the node's UsageCollector makes them (every container every INTERVAL, at most 32 in flight,
 * on virtual threads), against a baseline window in the same run with the same containers and
 * no reads. Measures this JVM's CPU time and dockerd's (from /proc).
 */
public class StatsBench {
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        long interval = Long.parseLong(args[2]) * 1000;
        int dockerd = Integer.parseInt(args[3]);
        String run = "bench-stats-" + ProcessHandle.current().pid();
        PluginContext ctx = new PluginContext() {
            public Clock clock() { return Clock.systemUTC(); }
            public EventSink events() { return (type, service, container, message) -> { }; }
        };
        RuntimeDriverFactory f = ServiceLoader.load(RuntimeDriverFactory.class).stream()
                .map(ServiceLoader.Provider::get).filter(x -> x.name().equals("docker")).findFirst().orElseThrow();
        ContainerRuntime rt = f.create(PluginConfig.EMPTY, ctx);
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String id = rt.create(new ContainerRequest(run + "-" + i, "orchestrator-test/busybox:1",
                        Map.of("bench.run", run), Map.of(), List.of("sleep", "86400"), List.of(), 16L << 20, 0, null,
                        List.of()));
                ids.add(id);
                rt.start(id);
            }
            round(rt, ids); // warm up: classes, connections
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long j0 = os.getProcessCpuTime(), d0 = ticks(dockerd), w0 = System.nanoTime();
            long rounds = 0, longest = 0;
            while (System.nanoTime() - w0 < seconds * 1_000_000_000L) {
                long r0 = System.nanoTime();
                round(rt, ids);
                long took = System.nanoTime() - r0;
                longest = Math.max(longest, took);
                rounds++;
                Thread.sleep(Math.max(0, interval - took / 1_000_000));
            }
            double wall = (System.nanoTime() - w0) / 1e9;
            long j1 = os.getProcessCpuTime(), d1 = ticks(dockerd);
            long b0 = ticks(dockerd), bw0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            double bwall = (System.nanoTime() - bw0) / 1e9;
            long b1 = ticks(dockerd);
            double jvm = (j1 - j0) / 1e9 / wall * 100;
            double dk = (d1 - d0) / 100.0 / wall * 100;
            double base = (b1 - b0) / 100.0 / bwall * 100;
            System.out.printf("containers %d, interval %d s, %d rounds in %.0f s, longest round %.2f s%n",
                    n, interval / 1000, rounds, wall, longest / 1e9);
            System.out.printf("collector JVM CPU        %6.2f %% of a core (%.3f %% per container)%n", jvm, jvm / n);
            System.out.printf("dockerd with collector   %6.2f %% of a core%n", dk);
            System.out.printf("dockerd baseline         %6.2f %% of a core%n", base);
            System.out.printf("dockerd added            %6.2f %% (%.3f %% per container); ratio %.2f%n",
                    dk - base, (dk - base) / n, base > 0 ? dk / base : Double.POSITIVE_INFINITY);
        } finally {
            for (String id : ids) {
                rt.remove(id, true);
            }
            rt.close();
        }
    }

    private static void round(ContainerRuntime rt, List<String> ids) throws Exception {
        var slots = new Semaphore(32);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var all = new ArrayList<Future<?>>();
            for (String id : ids) {
                slots.acquire();
                all.add(pool.submit(() -> {
                    try {
                        return rt.stats(id).orElseThrow();
                    } finally {
                        slots.release();
                    }
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        }
    }

    private static long ticks(int pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).split(" ");
        return Long.parseLong(f[13]) + Long.parseLong(f[14]);
    }
}
