package dev.orchestrator.api.spi;

/**
 * An extension point's factory: a name and a way to create the plugin. Implementations are
 * found with {@link java.util.ServiceLoader} under one of the sub-interfaces listed in
 * {@link PluginKind}; a plugin module {@code provides} them and exports nothing.
 *
 * <p>Contract: {@link #name()} and {@link #weight()} are constant, cheap and side-effect free
 * (the kernel calls them while listing plugins). {@link #create} is called at most once per
 * use site at start-up, from one thread; it may block briefly (open a socket, read a file)
 * and throws {@link dev.orchestrator.api.OrchestratorException} with
 * {@link dev.orchestrator.api.ErrorCode#PLUGIN_ERROR} when the configuration is wrong.
 *
 * @param <T> the type of plugin created
 */
public interface PluginFactory<T> {
    /**
     * @return the plugin's name, unique within its kind: lower-case letters, digits and '-'
     */
    String name();

    /**
     * Orders providers of one kind when configuration names none: the highest weight is the
     * default. Discovery order never matters.
     *
     * @return the weight; built-ins use 100
     */
    default int weight() {
        return 100;
    }

    /**
     * Creates the plugin.
     *
     * @param config  this plugin's settings (keys without the plugin prefix)
     * @param context what the kernel offers plugins
     * @return a new plugin instance, never null
     */
    T create(PluginConfig config, PluginContext context);
}
