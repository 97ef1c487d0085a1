package dev.orchestrator.kernel;

import java.util.Objects;
import java.util.ServiceLoader;
import java.util.stream.Stream;

/**
 * One place plugins are looked up: the boot layer and class path, or one drop-in layer.
 * Both are read with {@link ServiceLoader}; they differ only in which loader is asked.
 *
 * @param origin   built-in or drop-in
 * @param location a human-readable location for messages (a path, or {@code boot layer})
 * @param layer    the drop-in layer, or null for the built-in source
 * @param loader   the class loader asked for built-in providers (null for a layer)
 */
public record PluginSource(Origin origin, String location, ModuleLayer layer, ClassLoader loader) {
    /** Requires origin and location, and exactly one of layer and loader. */
    public PluginSource {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(location, "location");
        if ((layer == null) == (loader == null)) {
            throw new IllegalArgumentException("a plugin source has either a layer or a class loader");
        }
    }

    /**
     * @param loader the loader whose modules (and class path) hold the built-in plugins
     * @return the built-in source
     */
    public static PluginSource builtIn(ClassLoader loader) {
        return new PluginSource(Origin.BUILT_IN, "boot layer", null, loader);
    }

    /**
     * @param layer    a plugin's own layer
     * @param location the jar or directory it was loaded from
     * @return a drop-in source
     */
    public static PluginSource dropIn(ModuleLayer layer, String location) {
        return new PluginSource(Origin.DROP_IN, location, layer, null);
    }

    /**
     * Providers of {@code type} that belong to this source. A layer lookup also sees the
     * parent layers; those providers belong to another source and are left out here.
     *
     * @param type the factory interface
     * @param <S>  its type
     * @return the providers, not yet instantiated
     */
    <S> Stream<ServiceLoader.Provider<S>> providers(Class<S> type) {
        if (layer == null) {
            return ServiceLoader.load(type, loader).stream();
        }
        return ServiceLoader.load(layer, type).stream()
                .filter(p -> p.type().getModule().getLayer() == layer);
    }
}
