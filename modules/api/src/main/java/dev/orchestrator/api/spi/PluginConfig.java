package dev.orchestrator.api.spi;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A plugin's settings: flat string keys and values, already stripped of the plugin's prefix.
 * Typed getters validate and throw {@link OrchestratorException} naming the key.
 *
 * @param values the settings
 */
public record PluginConfig(Map<String, String> values) {
    /** An empty configuration. */
    public static final PluginConfig EMPTY = new PluginConfig(Map.of());

    /** Copies the map. */
    public PluginConfig {
        values = Map.copyOf(new TreeMap<>(values));
    }

    /**
     * @param key the key
     * @return the value, if set
     */
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * @param key      the key
     * @param fallback the value when unset
     * @return the value or the fallback
     */
    public String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    /**
     * @param key      the key
     * @param fallback the value when unset
     * @return the value parsed as an int
     */
    public int getInt(String key, int fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw OrchestratorException.invalid(key + " must be an integer, got '" + v + "'");
        }
    }

    /**
     * @param key      the key
     * @param fallback the value when unset
     * @return the value parsed with {@link Validation#duration}
     */
    public Duration getDuration(String key, Duration fallback) {
        String v = values.get(key);
        return v == null ? fallback : Validation.duration(key, v);
    }
}
