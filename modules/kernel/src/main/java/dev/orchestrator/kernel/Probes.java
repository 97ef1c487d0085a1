package dev.orchestrator.kernel;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The probe plugins by health check type, each created once on first use. Thread-safe.
 */
public final class Probes implements AutoCloseable {
    private final PluginManager plugins;
    private final PluginContext context;
    private final Map<String, Probe> created = new ConcurrentHashMap<>();

    /**
     * @param plugins the discovered plugins
     * @param context the context probes are created with
     */
    public Probes(PluginManager plugins, PluginContext context) {
        this.plugins = plugins;
        this.context = context;
    }

    /**
     * @param type a health check type
     * @throws OrchestratorException {@code invalid_argument} naming the installed types if none matches
     */
    public void require(String type) {
        plugins.requireInstalled(PluginKind.PROBE, type, "health_check.type");
    }

    /**
     * @param type a health check type
     * @return its probe, created on first use with the plugin's configured settings
     * @throws OrchestratorException {@code PLUGIN_ERROR} if the plugin fails to create it
     */
    public Probe get(String type) {
        return created.computeIfAbsent(type, t -> plugins.create(ProbeFactory.class, t, context));
    }

    /** Closes the probes that hold resources (the http probe's client). */
    @Override
    public void close() {
        for (Probe p : created.values()) {
            if (p instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.getLogger(Probes.class.getName()).log(System.Logger.Level.DEBUG, "closing a probe: " + e);
                }
            }
        }
        created.clear();
    }
}
