package dev.orchestrator.kernel;

import dev.orchestrator.api.spi.PluginFactory;
import dev.orchestrator.api.spi.PluginKind;

/**
 * A discovered plugin.
 *
 * @param kind     its kind
 * @param name     its name, unique within the kind
 * @param weight   its weight (highest is the default of its kind)
 * @param module   the name of the module that provides it ({@code unnamed} on the class path)
 * @param origin   built-in or drop-in
 * @param location where it was loaded from
 * @param factory  the factory instance
 */
public record PluginDescriptor(PluginKind kind, String name, int weight, String module, Origin origin,
                               String location, PluginFactory<?> factory) {
    /** @return e.g. {@code module com.acme.probe (drop-in /opt/orchestrator/plugins/acme)} */
    public String describe() {
        return "module " + module + " (" + origin.label() + " " + location + ")";
    }
}
