package dev.orchestrator.bench.dns;

import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.ServiceDiscovery;
import dev.orchestrator.api.spi.ServiceDiscoveryFactory;
import dev.orchestrator.testkit.QuietContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The {@code dns} service discovery alone, for bench/dns.sh: found through the SPI as the kernel
 * finds it, created with settings, started on 127.0.0.1 and filled through {@code update()}
 * with synthetic services, then serving until the process is stopped (SIGTERM closes it).
 *
 * <p>Usage: {@code DnsBenchServer PORT SERVICES REPLICAS TTL}. Service {@code svc-S}
 * (S = 1..SERVICES) has replicas {@code svc-S-N} (N = 1..REPLICAS) at {@code 10.1.S.N:8080};
 * bench/dns.sh writes the same names and addresses into dnsmasq's hosts file. Upstreams are
 * 127.0.0.1:9 (discard) so that nothing could ever be forwarded off the machine; the benchmark
 * asks zone names only.
 */
public final class DnsBenchServer {
    private static final int MAX_SERVICES = 254;
    private static final int MAX_REPLICAS = 254;
    private static final int CONTAINER_PORT = 8080;

    private DnsBenchServer() {
    }

    /**
     * @param args PORT SERVICES REPLICAS TTL
     * @throws InterruptedException never in practice: the main thread waits until the JVM exits
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length != 4) {
            usage("expected 4 arguments, got " + args.length);
        }
        int port = number(args[0], 1, 65535);
        int services = number(args[1], 1, MAX_SERVICES);
        int replicas = number(args[2], 1, MAX_REPLICAS);
        int ttl = number(args[3], 0, 3600);
        ServiceDiscovery dns = factory().create(new PluginConfig(Map.of("address", "127.0.0.1",
                "port", Integer.toString(port), "ttl", Integer.toString(ttl), "upstreams", "127.0.0.1:9")),
                QuietContext.create());
        Runtime.getRuntime().addShutdownHook(new Thread(dns::close, "dns-bench-close"));
        dns.start();
        for (int s = 1; s <= services; s++) {
            dns.update("svc-" + s, endpoints(s, replicas));
        }
        // bench/dns.sh waits for this line before it queries.
        System.out.println("ready: " + services + " services x " + replicas + " replicas on 127.0.0.1:" + port);
        Thread.currentThread().join();
    }

    private static ServiceDiscoveryFactory factory() {
        return ServiceLoader.load(ServiceDiscoveryFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("dns"))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no service-discovery plugin named dns on the class path"));
    }

    private static List<Endpoint> endpoints(int service, int replicas) {
        List<Endpoint> out = new ArrayList<>(replicas);
        for (int n = 1; n <= replicas; n++) {
            out.add(new Endpoint("svc-" + service + "-" + n, "10.1." + service + "." + n, CONTAINER_PORT));
        }
        return out;
    }

    private static int number(String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        usage("'" + text + "' is not a number in " + min + ".." + max);
        throw new AssertionError("unreachable");
    }

    private static void usage(String problem) {
        System.err.println("DnsBenchServer: " + problem + "\nusage: DnsBenchServer PORT SERVICES REPLICAS TTL");
        System.exit(2);
    }
}
