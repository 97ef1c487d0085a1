package dev.orchestrator.kernel;

import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.lang.module.ResolutionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Turns a plugins directory into one module layer per plugin. A plugin is either a jar placed
 * directly in the directory or a sub-directory holding the plugin's jar and the jars it needs.
 * Jars may be explicit or automatic modules. Each layer's parent is the given parent layer, so
 * plugins see the API and the JDK, never each other.
 */
public final class DropInLayers {
    private DropInLayers() {
    }

    /**
     * Loads every plugin found in {@code dir}, in file-name order (the order does not decide
     * anything; it only makes messages stable).
     *
     * @param dir    the plugins directory; a missing directory means no drop-ins
     * @param parent the parent layer, normally {@link ModuleLayer#boot()}
     * @return one source per plugin
     * @throws PluginException naming the plugin when a layer cannot be built
     */
    public static List<PluginSource> load(Path dir, ModuleLayer parent) {
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        var sources = new ArrayList<PluginSource>();
        for (Path entry : entries(dir)) {
            sources.add(PluginSource.dropIn(layerFor(entry, parent), entry.toString()));
        }
        return sources;
    }

    private static List<Path> entries(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> Files.isDirectory(p) || p.getFileName().toString().endsWith(".jar"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new PluginException("cannot list plugins directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds the layer of one plugin. All modules in the plugin are roots, resolved with
     * service binding against the parent; a module the parent already has is refused, since
     * a second copy of the API would make the plugin's factories invisible to the kernel.
     */
    static ModuleLayer layerFor(Path plugin, ModuleLayer parent) {
        try {
            ModuleFinder finder = ModuleFinder.of(plugin);
            Set<String> roots = finder.findAll().stream()
                    .map(ref -> ref.descriptor().name())
                    .collect(Collectors.toCollection(TreeSet::new));
            if (roots.isEmpty()) {
                throw new PluginException("plugin " + plugin + " holds no module: expected a jar (or a directory"
                        + " of jars) with a module-info or an Automatic-Module-Name");
            }
            refuseShadowing(plugin, finder, parent);
            Configuration cf = parent.configuration().resolveAndBind(ModuleFinder.of(), finder, roots);
            return parent.defineModulesWithOneLoader(cf, ClassLoader.getSystemClassLoader());
        } catch (FindException | ResolutionException | LayerInstantiationException e) {
            throw new PluginException("cannot load plugin " + plugin + ": " + e.getMessage(), e);
        }
    }

    private static void refuseShadowing(Path plugin, ModuleFinder finder, ModuleLayer parent) {
        for (ModuleReference ref : finder.findAll()) {
            String name = ref.descriptor().name();
            if (parent.findModule(name).isPresent()) {
                throw new PluginException("plugin " + plugin + " bundles module " + name + " (" + ref.location()
                        .map(Object::toString).orElse("?") + ") which the orchestrator already provides;"
                        + " expected the plugin to contain only its own jars: remove that jar");
            }
        }
    }
}
