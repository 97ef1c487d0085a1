package dev.orchestrator.api.spi;

import java.time.Instant;

/**
 * One line of a container's output.
 *
 * @param timestamp when the runtime received it
 * @param stream    {@code stdout} or {@code stderr}
 * @param text      the line, without its trailing newline
 */
public record LogLine(Instant timestamp, String stream, String text) {
}
