package dev.orchestrator.kernel;

import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.PluginContext;
import java.time.Clock;
import java.util.Objects;

/**
 * The kernel's {@link PluginContext}: a clock and an event sink.
 *
 * @param clock  the clock
 * @param events the event sink
 */
public record KernelContext(Clock clock, EventSink events) implements PluginContext {
    /** Requires both. */
    public KernelContext {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(events, "events");
    }
}
