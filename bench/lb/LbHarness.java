import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.BalancingPolicyFactory;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The orchestrator's load balancer alone, for bench/lb.sh: creates the {@code tcp} load balancer
 * and a balancing policy through their factories, found with ServiceLoader as the kernel finds
 * them, publishes 127.0.0.1:PORT over the backends on 127.0.0.1 and runs until killed.
 *
 * <p>Usage: {@code java -cp api.jar:lb-tcp.jar:lb-policy.jar LbHarness.java POLICY PORT BACKEND_PORT...}
 */
public final class LbHarness {
    private LbHarness() {
    }

    public static void main(String[] args) throws InterruptedException {
        String policyName = args[0];
        int port = Integer.parseInt(args[1]);
        List<Endpoint> backends = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            backends.add(new Endpoint("b" + (i - 2), "127.0.0.1", Integer.parseInt(args[i])));
        }
        PluginContext context = new PluginContext() {
            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public EventSink events() {
                return (type, service, container, message) -> { };
            }
        };
        // LB_SETTINGS="threads=platform,max-attempts=2": the tcp plugin's settings, as in the config file.
        LoadBalancer lb = find(LoadBalancerFactory.class, "tcp").create(settings(System.getenv("LB_SETTINGS")), context);
        BalancingPolicy policy = find(BalancingPolicyFactory.class, policyName).create(PluginConfig.EMPTY, context);
        lb.publish("bench", "tcp", "127.0.0.1", port, backends, policy);
        System.out.println("ready");
        Thread.currentThread().join();
    }

    private static PluginConfig settings(String spec) {
        var values = new java.util.HashMap<String, String>();
        if (spec != null && !spec.isBlank()) {
            for (String kv : spec.split(",")) {
                String[] p = kv.split("=", 2);
                values.put(p[0].trim(), p[1].trim());
            }
        }
        return new PluginConfig(values);
    }

    private static <F extends dev.orchestrator.api.spi.PluginFactory<?>> F find(Class<F> type, String name) {
        return ServiceLoader.load(type).stream().map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + type.getSimpleName() + " named " + name));
    }
}
