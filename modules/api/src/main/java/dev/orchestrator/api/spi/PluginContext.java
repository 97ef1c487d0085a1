package dev.orchestrator.api.spi;

import java.time.Clock;

/**
 * What the kernel offers every plugin. Plugins never reach into kernel internals; anything
 * else they need comes through their {@link PluginConfig}. All methods are thread-safe.
 */
public interface PluginContext {
    /** @return the clock to use for all timing, so tests can control time */
    Clock clock();

    /** @return where to report events */
    EventSink events();

    /**
     * @param name a logger name, usually the plugin's class name
     * @return a platform logger
     */
    default System.Logger logger(String name) {
        return System.getLogger(name);
    }
}
