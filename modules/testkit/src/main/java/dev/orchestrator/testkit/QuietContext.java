package dev.orchestrator.testkit;

import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.PluginContext;
import java.time.Clock;

/** The plugin context contract tests create plugins with: the system clock, events dropped. */
public final class QuietContext {
    private QuietContext() {
    }

    /** @return a context with the system clock whose events go nowhere */
    public static PluginContext create() {
        return new PluginContext() {
            @Override
            public Clock clock() {
                return Clock.systemUTC();
            }

            @Override
            public EventSink events() {
                return (type, service, container, message) -> { };
            }
        };
    }
}
