package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.api.spi.ServiceDiscovery;
import dev.orchestrator.api.spi.ServiceDiscoveryFactory;
import dev.orchestrator.kernel.PluginManager;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The node's service DNS, two listeners of the configured discovery plugin fed the same data:
 * one for operators at the plugin's own settings (default {@code 127.0.0.1:5353}), one for the
 * node's containers on port 53 of the node's DNS address (Docker's resolver only takes an
 * address). A listener that cannot bind (another node on this host has it) is left out with a
 * warning: the node runs on without it.
 */
final class PluginDns implements NodeNetwork.DnsListeners {
    private static final System.Logger LOG = System.getLogger(PluginDns.class.getName());
    private final PluginManager plugins;
    private final String name;
    private final PluginContext context;
    private final List<ServiceDiscovery> started = new CopyOnWriteArrayList<>();
    /** Problems already logged: a listener that cannot bind is retried on later syncs, quietly. */
    private final java.util.Set<String> said = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When the containers' listener last failed to start: retried at most every 10 s. */
    private volatile long failedAt;

    PluginDns(PluginManager plugins, String name, PluginContext context) {
        this.plugins = plugins;
        this.name = name;
        this.context = context;
    }

    /** Starts the operators' listener, if a discovery plugin is installed. */
    void startOperators() {
        if (plugins.hasAny(PluginKind.DISCOVERY)) {
            start(plugins.configOf(PluginKind.DISCOVERY, name), "operators");
        }
    }

    /** @return the zone the listeners serve, as containers search it */
    String zone() {
        if (!plugins.hasAny(PluginKind.DISCOVERY)) {
            return "internal";
        }
        String zone = plugins.configOf(PluginKind.DISCOVERY, name).get("zone", "internal").trim();
        return zone.endsWith(".") ? zone.substring(0, zone.length() - 1) : zone;
    }

    @Override
    public boolean serveContainers(String address) {
        if (!plugins.hasAny(PluginKind.DISCOVERY)) {
            return false;
        }
        long now = System.nanoTime();
        if (failedAt != 0 && now - failedAt < 10_000_000_000L) {
            return false; // binding is not free, and syncs come with every view
        }
        var values = new HashMap<>(plugins.configOf(PluginKind.DISCOVERY, name).values());
        values.put("address", address);
        values.put("port", "53");
        boolean ok = start(new PluginConfig(values), "containers");
        failedAt = ok ? 0 : Math.max(1, now);
        return ok;
    }

    private boolean start(PluginConfig config, String who) {
        try {
            ServiceDiscovery d = plugins.create(ServiceDiscoveryFactory.class, name, config, context);
            d.start();
            started.add(d);
            return true;
        } catch (OrchestratorException e) {
            String what = "service DNS for " + who + " not started: " + e.getMessage();
            LOG.log(said.add(what) ? Level.WARNING : Level.DEBUG, what);
            return false;
        }
    }

    @Override
    public List<ServiceDiscovery> all() {
        return started;
    }

    @Override
    public void close() {
        started.forEach(ServiceDiscovery::close);
        started.clear();
    }
}
