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
 * Creates the {@code round-robin} load balancer, a {@link TcpLoadBalancer}.
 *
 * <p>Settings (all optional):
 * <ul>
 *   <li>{@code connect-timeout}: longest wait for one replica to accept a connection before the
 *       next one is tried, default {@code 2s}.</li>
 *   <li>{@code idle-timeout}: a connection with no bytes moving in either direction for this
 *       long is closed (checked with that granularity, so it may live up to twice as long);
 *       default {@code 0}, meaning never.</li>
 * </ul>
 *
 * <p>{@link #create} binds nothing: ports are bound by {@link LoadBalancer#publish}.
 */
public final class RoundRobinFactory implements LoadBalancerFactory {
    /** The plugin's name. */
    public static final String NAME = "round-robin";

    private static final String CONNECT_TIMEOUT = "connect-timeout";
    private static final String IDLE_TIMEOUT = "idle-timeout";
    private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
    // Validation.duration refuses zero, yet "0" (or "0s") is how a user says "no idle timeout".
    private static final Pattern NONE = Pattern.compile("0+(ms|s|m|h)?");

    /** For {@link java.util.ServiceLoader}. */
    public RoundRobinFactory() {
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
        return new TcpLoadBalancer(timeouts(config), context.logger(TcpLoadBalancer.class.getName()));
    }

    /** Reads the settings; package-private so tests can check the parsing alone. */
    static Timeouts timeouts(PluginConfig config) {
        Duration connect = setting(() -> config.getDuration(CONNECT_TIMEOUT, DEFAULT_CONNECT_TIMEOUT));
        Duration idle = setting(() -> idleTimeout(config));
        return new Timeouts(connect, idle);
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
                    + RoundRobinFactory.class.getName() + "): " + e.getMessage(), e);
        }
    }
}
