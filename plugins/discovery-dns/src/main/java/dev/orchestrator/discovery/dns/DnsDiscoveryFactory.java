package dev.orchestrator.discovery.dns;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.ServiceDiscovery;
import dev.orchestrator.api.spi.ServiceDiscoveryFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.xbill.DNS.Address;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Creates the {@code dns} service discovery, a {@link DnsServer}.
 *
 * <p>Settings (all optional):
 * <ul>
 *   <li>{@code zone}: the zone served, default {@code internal}.</li>
 *   <li>{@code address}: the IPv4 address to listen on, default {@code 127.0.0.1}.</li>
 *   <li>{@code port}: the UDP and TCP port, default {@code 5353}; {@code 0} picks a free one.</li>
 *   <li>{@code ttl}: seconds, 0..3600, of answers and negative answers, default {@code 5}.</li>
 *   <li>{@code upstreams}: comma-separated {@code host[:port]} resolvers for names outside the
 *       zone; default: the {@code nameserver} lines of {@code /etc/resolv.conf}.</li>
 *   <li>{@code forward-timeout}: the longest wait for an upstream, default {@code 2s}.</li>
 * </ul>
 *
 * <p>Threading: stateless and thread-safe. {@link #create} binds nothing (that is
 * {@link ServiceDiscovery#start}) and never blocks.
 */
public final class DnsDiscoveryFactory implements ServiceDiscoveryFactory {
    /** The plugin's name. */
    public static final String NAME = "dns";

    private static final String ZONE = "zone";
    private static final String ADDRESS = "address";
    private static final String PORT = "port";
    private static final String TTL = "ttl";
    private static final String UPSTREAMS = "upstreams";
    private static final String FORWARD_TIMEOUT = "forward-timeout";
    private static final int DEFAULT_PORT = 5353;
    private static final int DEFAULT_TTL = 5;
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);

    /** For {@link java.util.ServiceLoader}. */
    public DnsDiscoveryFactory() {
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
    public DnsServer create(PluginConfig config, PluginContext context) {
        return new DnsServer(settings(config), context.logger(DnsServer.class.getName()));
    }

    /** Reads the settings; package-private so tests can check the parsing alone. */
    static DnsSettings settings(PluginConfig config) {
        return setting(() -> new DnsSettings(zone(config), address(config), port(config), ttl(config),
                upstreams(config), timeout(config)));
    }

    private static Name zone(PluginConfig config) {
        String zone = config.get(ZONE, "internal").trim();
        try {
            Name name = Name.fromString(zone, Name.root);
            if (name.equals(Name.root)) {
                throw OrchestratorException.invalid(ZONE + " must not be the root");
            }
            return Name.fromString(name.toString().toLowerCase(java.util.Locale.ROOT));
        } catch (TextParseException e) {
            throw OrchestratorException.invalid(ZONE + " '" + zone + "' is not a DNS name: " + e.getMessage());
        }
    }

    private static InetAddress address(PluginConfig config) {
        String text = config.get(ADDRESS, "127.0.0.1").trim();
        byte[] bytes = Address.toByteArray(text, Address.IPv4);
        if (bytes == null) {
            throw OrchestratorException.invalid(ADDRESS + " must be an IPv4 address, got '" + text + "'");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static int port(PluginConfig config) {
        int port = config.getInt(PORT, DEFAULT_PORT);
        if (port < 0 || port > 65535) {
            throw OrchestratorException.invalid(PORT + " must be 0..65535, got " + port);
        }
        return port;
    }

    private static int ttl(PluginConfig config) {
        int ttl = config.getInt(TTL, DEFAULT_TTL);
        if (ttl < 0 || ttl > DnsSettings.MAX_TTL) {
            throw OrchestratorException.invalid(TTL + " must be 0.." + DnsSettings.MAX_TTL + " seconds, got " + ttl);
        }
        return ttl;
    }

    private static List<java.net.InetSocketAddress> upstreams(PluginConfig config) {
        return config.get(UPSTREAMS).map(Upstreams::parse).orElse(List.of());
    }

    private static Duration timeout(PluginConfig config) {
        Duration d = config.getDuration(FORWARD_TIMEOUT, DEFAULT_TIMEOUT);
        if (d.compareTo(MAX_TIMEOUT) > 0) {
            throw OrchestratorException.invalid(FORWARD_TIMEOUT + " must be at most 30s, got " + d);
        }
        return d;
    }

    private static <T> T setting(Supplier<T> read) {
        try {
            return read.get();
        } catch (OrchestratorException e) {
            throw new OrchestratorException(ErrorCode.PLUGIN_ERROR, "service-discovery plugin " + NAME + " ("
                    + DnsDiscoveryFactory.class.getName() + "): " + e.getMessage(), e);
        }
    }
}
