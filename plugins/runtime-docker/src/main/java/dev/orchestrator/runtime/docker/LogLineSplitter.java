package dev.orchestrator.runtime.docker;

import dev.orchestrator.api.spi.LogLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cuts Docker log frames into {@link LogLine}s. Not thread-safe; one instance per read.
 *
 * <p>Frames are not lines: a multiplexed frame usually holds one line, but a TTY container's raw
 * stream is cut wherever the daemon's buffer ends. So bytes are buffered per stream until a
 * newline, and decoded as UTF-8 only then, so a character split across frames stays whole.
 * Each line starts with the timestamp Docker adds when asked ({@code timestamps=true}).
 */
final class LogLineSplitter {
    private final Map<String, ByteArrayOutputStream> pending = new LinkedHashMap<>();
    private final List<LogLine> lines = new ArrayList<>();
    private final java.util.function.Consumer<LogLine> sink;

    /** Collects the lines, for {@link #finish}. */
    LogLineSplitter() {
        this.sink = lines::add;
    }

    /** @param sink receives each line as it completes (then {@link #finish} returns none) */
    LogLineSplitter(java.util.function.Consumer<LogLine> sink) {
        this.sink = sink;
    }

    /**
     * @param stream  {@code stdout} or {@code stderr}
     * @param payload the frame's bytes
     */
    void accept(String stream, byte[] payload) {
        ByteArrayOutputStream buffer = pending.computeIfAbsent(stream, s -> new ByteArrayOutputStream());
        int start = 0;
        for (int i = 0; i < payload.length; i++) {
            if (payload[i] == '\n') {
                buffer.write(payload, start, i - start);
                emit(stream, buffer);
                start = i + 1;
            }
        }
        buffer.write(payload, start, payload.length - start);
    }

    /**
     * Ends the read: unterminated last lines are emitted too.
     *
     * @return every line, in the order they completed (none with a sink of the caller's)
     */
    List<LogLine> finish() {
        pending.forEach((stream, buffer) -> {
            if (buffer.size() > 0) {
                emit(stream, buffer);
            }
        });
        return List.copyOf(lines);
    }

    private void emit(String stream, ByteArrayOutputStream buffer) {
        sink.accept(parse(stream, buffer.toString(StandardCharsets.UTF_8)));
        buffer.reset();
    }

    /**
     * @param stream the stream name
     * @param raw    one line, as Docker sends it: {@code <RFC 3339 time> <text>}
     * @return the line; the timestamp is null when the line does not start with one
     */
    static LogLine parse(String stream, String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        int space = line.indexOf(' ');
        Instant time = DockerMapping.time(space < 0 ? line : line.substring(0, space));
        if (time == null) {
            return new LogLine(null, stream, line);
        }
        return new LogLine(time, stream, space < 0 ? "" : line.substring(space + 1));
    }
}
