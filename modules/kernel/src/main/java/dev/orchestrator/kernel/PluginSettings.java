package dev.orchestrator.kernel;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginKind;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every plugin's settings from configuration, by kind and plugin name: what the file's
 * {@code plugins.<kind>.<name>.<key>} entries say. A plugin with no entry gets
 * {@link PluginConfig#EMPTY}.
 *
 * @param configs the settings by kind, then by plugin name
 */
public record PluginSettings(Map<PluginKind, Map<String, PluginConfig>> configs) {
    /** No settings for any plugin. */
    public static final PluginSettings NONE = new PluginSettings(Map.of());

    /** Copies the maps. */
    public PluginSettings {
        var copy = new EnumMap<PluginKind, Map<String, PluginConfig>>(PluginKind.class);
        configs.forEach((kind, byName) -> copy.put(kind, Map.copyOf(new TreeMap<>(byName))));
        configs = Map.copyOf(copy);
    }

    /**
     * @param kind a kind
     * @param name a plugin name
     * @return that plugin's settings, empty when none are configured
     */
    public PluginConfig config(PluginKind kind, String name) {
        return configs.getOrDefault(kind, Map.of()).getOrDefault(name, PluginConfig.EMPTY);
    }
}
