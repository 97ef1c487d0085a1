package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.LoadBalancer;
import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import java.time.Duration;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Creates the {@code tcp} load balancer, a {@link TcpLoadBalancer}: the transport; the
 * balancing policy ({@code round-robin} and others) comes with each publish.
 *
 * <p>Settings (all optional):
 * <ul>
 *   <li>{@code connect-timeout}: longest wait for one replica to accept a connection before the
 *       next one is tried, default {@code 2s}.</li>
 *   <li>{@code idle-timeout}: a connection with no bytes moving in either direction for this
 *       long is closed (checked with that granularity, so it may live up to twice as long);
 *       default {@code 0}, meaning never.</li>
 *   <li>{@code max-attempts}: how many backends one connection tries, in the policy's order,
 *       before it is closed; default {@code 3}.</li>
 *   <li>{@code event-loops}: how many threads relay the bytes of every connection (each runs
 *       a selector); default half the processors, at least 1.</li>
 * </ul>
 *
 * <p>{@link #create} binds nothing: ports are bound by {@link LoadBalancer#publish}.
 */
public final class TcpFactory implements LoadBalancerFactory {
    /** The plugin's name. */
    public static final String NAME = "tcp";

    private static final String CONNECT_TIMEOUT = "connect-timeout";
    private static final String IDLE_TIMEOUT = "idle-timeout";
    private static final String MAX_ATTEMPTS = "max-attempts";
    private static final String EVENT_LOOPS = "event-loops";
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    // Validation.duration refuses zero, yet "0" (or "0s") is how a user says "no idle timeout".
    private static final Pattern NONE = Pattern.compile("0+(ms|s|m|h)?");

    /** For {@link java.util.ServiceLoader}. */
    public TcpFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int weight() {
        return 100;
    }

    /**
     * @throws OrchestratorException {@link ErrorCode#PLUGIN_ERROR} if a setting is malformed
     */
    @Override
    public LoadBalancer create(PluginConfig config, PluginContext context) {
        return new TcpLoadBalancer(settings(config), context.logger(TcpLoadBalancer.class.getName()));
    }

    /** Reads the settings; package-private so tests can check the parsing alone. */
    static Settings settings(PluginConfig config) {
        Duration connect = setting(() -> config.getDuration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT));
        Duration idle = setting(() -> idleTimeout(config));
        int attempts = setting(() -> atLeastOne(config, MAX_ATTEMPTS, Settings.DEFAULT_MAX_ATTEMPTS));
        int loops = setting(() -> atLeastOne(config, EVENT_LOOPS, Settings.defaultEventLoops()));
        return new Settings(connect, idle, attempts, loops);
    }

    private static int atLeastOne(PluginConfig config, String key, int fallback) {
        int n = config.getInt(key, fallback);
        if (n < 1) {
            throw OrchestratorException.invalid(key + " must be at least 1, got " + n);
        }
        return n;
    }

    private static Duration idleTimeout(PluginConfig config) {
        return config.get(IDLE_TIMEOUT)
                .map(String::trim)
                .map(v -> NONE.matcher(v).matches() ? Duration.ZERO : Validation.duration(IDLE_TIMEOUT, v))
                .orElse(Duration.ZERO);
    }

    private static <T> T setting(Supplier<T> read) {
        try {
            return read.get();
        } catch (OrchestratorException e) {
            throw new OrchestratorException(ErrorCode.PLUGIN_ERROR, "load-balancer plugin " + NAME + " ("
                    + TcpFactory.class.getName() + "): " + e.getMessage(), e);
        }
    }
}
