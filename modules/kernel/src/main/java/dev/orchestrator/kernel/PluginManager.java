package dev.orchestrator.kernel;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.PluginFactory;
import dev.orchestrator.api.spi.PluginKind;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Every plugin the process can use, found once at start-up. Built-in and drop-in plugins go
 * through the same {@link ServiceLoader} path ({@link PluginSource#providers}); they differ
 * only in their {@link Origin}.
 *
 * <p>It also keeps the plugins' settings from configuration ({@link PluginSettings}), so each
 * plugin is created with its own, whoever creates it.
 *
 * <p>Immutable and thread-safe once built. Within a kind, plugins are ordered by descending
 * weight, then name, so discovery order never matters.
 */
public final class PluginManager {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Comparator<PluginDescriptor> ORDER =
            Comparator.comparingInt(PluginDescriptor::weight).reversed().thenComparing(PluginDescriptor::name);

    private final Map<PluginKind, List<PluginDescriptor>> byKind;
    private final PluginSettings settings;

    private PluginManager(Map<PluginKind, List<PluginDescriptor>> byKind, PluginSettings settings) {
        this.byKind = byKind;
        this.settings = settings;
    }

    /**
     * Discovers the built-in plugins (this module's class loader: boot layer and class path)
     * and every drop-in plugin in {@code pluginsDir}.
     *
     * @param pluginsDir the drop-in directory, or null for none
     * @return the manager
     * @throws PluginException when a plugin cannot be loaded or two share a name
     */
    public static PluginManager discover(Path pluginsDir) {
        return discover(pluginsDir, PluginSettings.NONE);
    }

    /**
     * Discovers plugins as {@link #discover(Path)} does and keeps their settings, which
     * {@link #create(Class, String, PluginContext)} hands to each plugin it creates.
     *
     * @param pluginsDir the drop-in directory, or null for none
     * @param settings   the plugins' settings from configuration
     * @return the manager
     * @throws PluginException when a plugin cannot be loaded, two share a name, or the settings
     *                         name a plugin that is not installed
     */
    public static PluginManager discover(Path pluginsDir, PluginSettings settings) {
        var sources = new ArrayList<PluginSource>();
        sources.add(PluginSource.builtIn(PluginManager.class.getClassLoader()));
        sources.addAll(DropInLayers.load(pluginsDir, ModuleLayer.boot()));
        return of(sources).configure(settings);
    }

    /**
     * @param settings the plugins' settings from configuration
     * @return a manager with the same plugins and these settings
     * @throws PluginException when the settings name a plugin that is not installed: a typo there
     *                         would otherwise be ignored silently
     */
    public PluginManager configure(PluginSettings settings) {
        settings.configs().forEach((kind, byName) -> byName.keySet().forEach(name -> select(kind, name)));
        return new PluginManager(byKind, settings);
    }

    /**
     * @param sources where to look, in any order
     * @return the manager
     * @throws PluginException when a plugin cannot be loaded or two share a name
     */
    public static PluginManager of(List<PluginSource> sources) {
        var byKind = new EnumMap<PluginKind, List<PluginDescriptor>>(PluginKind.class);
        for (PluginKind kind : PluginKind.values()) {
            var found = new ArrayList<PluginDescriptor>();
            for (PluginSource source : sources) {
                found.addAll(load(kind, source));
            }
            requireUniqueNames(kind, found);
            found.sort(ORDER);
            byKind.put(kind, List.copyOf(found));
        }
        return new PluginManager(byKind, PluginSettings.NONE);
    }

    /** @return every plugin, grouped by kind in {@link PluginKind} order, each group ordered by weight */
    public List<PluginDescriptor> all() {
        return byKind.values().stream().flatMap(List::stream).toList();
    }

    /**
     * @param kind a kind
     * @return its plugins, highest weight first
     */
    public List<PluginDescriptor> plugins(PluginKind kind) {
        return byKind.get(kind);
    }

    /**
     * @param kind a kind
     * @param name a plugin name
     * @return the plugin, if present
     */
    public Optional<PluginDescriptor> find(PluginKind kind, String name) {
        return byKind.get(kind).stream().filter(d -> d.name().equals(name)).findFirst();
    }

    /**
     * Checks user input naming a plugin, e.g. a health check type or a scheduler strategy.
     *
     * @param kind  the kind
     * @param name  the name given
     * @param field what the user called it, e.g. {@code health_check.type}, for the message
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the installed plugins of the kind
     */
    public void requireInstalled(PluginKind kind, String name, String field) {
        if (find(kind, name).isEmpty()) {
            String known = byKind.get(kind).stream().map(PluginDescriptor::name).collect(Collectors.joining(", "));
            throw OrchestratorException.invalid(field + " '" + name + "' is not an installed " + kind.key()
                    + " plugin; available: " + (known.isEmpty() ? "none" : known));
        }
    }

    /**
     * Selects a plugin by name, or the highest-weight one when {@code name} is null.
     *
     * @param kind the kind
     * @param name the configured name, or null for the default
     * @return the plugin
     * @throws PluginException naming what was expected and what is available
     */
    public PluginDescriptor select(PluginKind kind, String name) {
        List<PluginDescriptor> candidates = byKind.get(kind);
        if (name == null) {
            return candidates.stream().findFirst().orElseThrow(() -> new PluginException("no " + kind.key()
                    + " plugin found: expected a module that provides " + kind.factoryType().getName()));
        }
        return find(kind, name).orElseThrow(() -> new PluginException(kind.key() + " plugin '" + name
                + "' is not installed; available: " + names(candidates)));
    }

    /**
     * Selects a plugin as {@link #select} does and creates it.
     *
     * @param type    the factory interface, e.g. {@code RuntimeDriverFactory.class}
     * @param name    the configured name, or null for the default
     * @param config  the plugin's settings
     * @param context the kernel context
     * @param <T>     the plugin type
     * @param <F>     the factory type
     * @return the new plugin
     */
    public <T, F extends PluginFactory<T>> T create(Class<F> type, String name, PluginConfig config,
                                                    PluginContext context) {
        PluginDescriptor d = select(kindOf(type), name);
        F factory = type.cast(d.factory());
        return withContextLoader(factory, () -> factory.create(config, context));
    }

    /**
     * Selects a plugin as {@link #select} does and creates it with its configured settings
     * ({@link PluginSettings#config}, empty when there are none).
     *
     * @param type    the factory interface, e.g. {@code LoadBalancerFactory.class}
     * @param name    the configured name, or null for the highest-weight plugin
     * @param context the kernel context
     * @param <T>     the plugin type
     * @param <F>     the factory type
     * @return the new plugin
     * @throws PluginException when no plugin of that name is installed
     * @throws OrchestratorException {@code PLUGIN_ERROR} when the plugin refuses its settings
     */
    public <T, F extends PluginFactory<T>> T create(Class<F> type, String name, PluginContext context) {
        PluginKind kind = kindOf(type);
        PluginDescriptor d = select(kind, name);
        return create(type, d.name(), settings.config(kind, d.name()), context);
    }

    /**
     * @param kind a kind
     * @param name a plugin name, or null for the highest-weight one
     * @return that plugin's configured settings, empty when there are none
     * @throws PluginException when no plugin of that name is installed
     */
    public PluginConfig configOf(PluginKind kind, String name) {
        return settings.config(kind, select(kind, name).name());
    }

    /**
     * @param kind a kind
     * @return true if a plugin of that kind is installed
     */
    public boolean hasAny(PluginKind kind) {
        return !plugins(kind).isEmpty();
    }

    /**
     * Runs a call into a plugin with the plugin's class loader as the thread context loader, so
     * libraries inside the plugin that look up resources through it find their own.
     */
    private static <R> R withContextLoader(Object plugin, java.util.function.Supplier<R> call) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(plugin.getClass().getClassLoader());
        try {
            return call.get();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    private static PluginKind kindOf(Class<?> factoryType) {
        for (PluginKind k : PluginKind.values()) {
            if (k.factoryType() == factoryType) {
                return k;
            }
        }
        throw new IllegalArgumentException(factoryType.getName() + " is not a plugin factory interface");
    }

    private static List<PluginDescriptor> load(PluginKind kind, PluginSource source) {
        var out = new ArrayList<PluginDescriptor>();
        try {
            source.providers(kind.factoryType()).forEach(p -> out.add(describe(kind, source, p)));
        } catch (ServiceConfigurationError e) {
            throw new PluginException("cannot load " + kind.key() + " plugin from " + source.origin().label() + " "
                    + source.location() + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static PluginDescriptor describe(PluginKind kind, PluginSource source,
                                             ServiceLoader.Provider<? extends PluginFactory<?>> provider) {
        Module module = provider.type().getModule();
        String moduleName = module.isNamed() ? module.getName() : "unnamed";
        PluginFactory<?> factory = instantiate(kind, source, provider);
        String name = factory.name();
        if (name == null || !NAME.matcher(name).matches()) {
            throw new PluginException(kind.key() + " plugin " + provider.type().getName() + " in module " + moduleName
                    + " (" + source.origin().label() + " " + source.location() + ") has name '" + name
                    + "': expected a lower-case DNS label such as 'docker'");
        }
        return new PluginDescriptor(kind, name, factory.weight(), moduleName, source.origin(), source.location(),
                factory);
    }

    private static PluginFactory<?> instantiate(PluginKind kind, PluginSource source,
                                                ServiceLoader.Provider<? extends PluginFactory<?>> provider) {
        try {
            return provider.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            throw new PluginException("cannot instantiate " + kind.key() + " plugin " + provider.type().getName()
                    + " from " + source.origin().label() + " " + source.location() + ": " + e, e);
        }
    }

    private static void requireUniqueNames(PluginKind kind, List<PluginDescriptor> found) {
        var seen = new HashMap<String, PluginDescriptor>();
        for (PluginDescriptor d : found) {
            PluginDescriptor prior = seen.putIfAbsent(d.name(), d);
            if (prior != null) {
                throw new PluginException("duplicate " + kind.key() + " plugin '" + d.name() + "': provided by "
                        + prior.describe() + " and by " + d.describe() + "; expected each name once: remove one");
            }
        }
    }

    private static String names(List<PluginDescriptor> ds) {
        return ds.isEmpty() ? "none" : ds.stream().map(PluginDescriptor::name).collect(Collectors.joining(", "));
    }
}
