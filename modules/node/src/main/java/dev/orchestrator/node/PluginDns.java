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
        var values = new HashMap<>(plugins.configOf(PluginKind.DISCOVERY, name).values());
        values.put("address", address);
        values.put("port", "53");
        return start(new PluginConfig(values), "containers");
    }

    private boolean start(PluginConfig config, String who) {
        try {
            ServiceDiscovery d = plugins.create(ServiceDiscoveryFactory.class, name, config, context);
            d.start();
            started.add(d);
            return true;
        } catch (OrchestratorException e) {
            LOG.log(Level.WARNING, "service DNS for " + who + " not started: " + e.getMessage());
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
