package dev.orchestrator.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

/**
 * The one line of a log record, for operators ({@code text}) or log shippers ({@code json}).
 *
 * <p>Text: {@code 2026-12-01T23:05:10.123Z INFO  cluster: message}, the time ISO-8601 in UTC
 * with milliseconds, the level padded to 5, the component ({@link #component(String)}), the
 * message with its line breaks and other control characters escaped ({@code \n}) so that one
 * record is one line. A throwable is appended as a one-line summary ({@code : error: Type: message;
 * caused by: ...}); with stack traces on (debug) its trace follows on the next lines.
 *
 * <p>JSON: one object per line with {@code time}, {@code level}, {@code component},
 * {@code logger}, {@code message}, and {@code error} (the summary) when there is a throwable;
 * with stack traces on, {@code stack} holds the trace as one string. Written by Jackson.
 *
 * <p>Join tokens and the credentials of an {@code Authorization} header are masked in every
 * record, and so is any text registered as a secret (the admin password, the agent's token).
 */
final class LogFormatter extends Formatter {
    /** The output styles. */
    enum Style {
        TEXT, JSON
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    /** A join token (with or without the CA pin, which is no secret) and a node's own credential. */
    private static final Pattern JOIN_TOKEN = Pattern.compile(
            "(orc1|orc2\\.[A-Za-z0-9_-]{43})\\.([0-9a-f]{12})\\.[A-Za-z0-9_-]{43}");
    private static final Pattern NODE_CREDENTIAL = Pattern.compile("orn1\\.[A-Za-z0-9_-]{43}");
    private static final Pattern AUTHORIZATION = Pattern.compile("(?i)\\b(Bearer|Basic) +[A-Za-z0-9+/=._~-]{8,}");
    private static final String MASK = "***";
    private static final int MIN_SECRET = 6;

    private final Style style;
    private final boolean stackTraces;
    private final List<String> secrets;
    private final ObjectMapper json = new ObjectMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    /**
     * @param style       text or JSON
     * @param stackTraces true to add a throwable's stack trace (debug level)
     * @param secrets     texts never written, masked wherever they appear (those under 6 characters are ignored)
     */
    LogFormatter(Style style, boolean stackTraces, List<String> secrets) {
        this.style = style;
        this.stackTraces = stackTraces;
        // Longest first, so that a secret containing another is masked whole. A very short one
        // (a test password such as "a") would mask ordinary words: nothing logs secrets, this is a net.
        this.secrets = secrets.stream().filter(s -> s != null && s.strip().length() >= MIN_SECRET)
                .sorted((a, b) -> b.length() - a.length()).toList();
    }

    @Override
    public String format(LogRecord r) {
        String time = TIME.format(r.getInstant() == null ? Instant.now() : r.getInstant());
        String level = level(r.getLevel());
        String component = component(r.getLoggerName());
        String message = mask(formatMessageSafely(r));
        Throwable t = r.getThrown();
        String error = t == null ? null : mask(summary(t));
        String stack = t == null || !stackTraces ? null : mask(stackTrace(t));
        if (style == Style.JSON) {
            return json(time, level, component, r.getLoggerName(), message, error, stack);
        }
        var sb = new StringBuilder(96).append(time).append(' ').append(String.format("%-5s", level)).append(' ')
                .append(component).append(": ").append(escape(message));
        if (error != null) {
            sb.append(": error: ").append(escape(error));
        }
        sb.append('\n');
        if (stack != null) {
            // Only at debug: the one place a record spans lines.
            sb.append(stack.endsWith("\n") ? stack : stack + "\n");
        }
        return sb.toString();
    }

    private String json(String time, String level, String component, String logger, String message, String error,
                        String stack) {
        var w = new StringWriter(128);
        try (JsonGenerator g = json.getFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("time", time);
            g.writeStringField("level", level);
            g.writeStringField("component", component);
            g.writeStringField("logger", logger == null ? "" : logger);
            g.writeStringField("message", message);
            if (error != null) {
                g.writeStringField("error", error);
            }
            if (stack != null) {
                g.writeStringField("stack", stack);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.append('\n').toString();
    }

    /** A record whose parameters do not fit its pattern still logs its pattern. */
    private String formatMessageSafely(LogRecord r) {
        try {
            String m = formatMessage(r);
            return m == null ? "" : m;
        } catch (RuntimeException e) {
            return String.valueOf(r.getMessage());
        }
    }

    /**
     * @param level a JUL level
     * @return its name in our terms: ERROR, WARN, INFO, DEBUG (FINE and CONFIG) or TRACE (below)
     */
    static String level(Level level) {
        int v = level == null ? Level.INFO.intValue() : level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (v >= Level.WARNING.intValue()) {
            return "WARN";
        } else if (v >= Level.INFO.intValue()) {
            return "INFO";
        } else if (v >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    /**
     * The short name of a logger: {@code helidon} for Helidon's; for ours the packages after
     * {@code dev.orchestrator}, joined with '-' ({@code dev.orchestrator.cluster.ReportIntake} is
     * {@code cluster}, {@code dev.orchestrator.runtime.docker.DockerRuntime} is {@code runtime-docker});
     * for any other the last package segment; {@code root} for the root logger.
     *
     * @param logger the logger's name, may be null
     * @return the component
     */
    static String component(String logger) {
        if (logger == null || logger.isEmpty()) {
            return "root";
        }
        if (logger.equals("io.helidon") || logger.startsWith("io.helidon.")) {
            return "helidon";
        }
        String[] parts = logger.split("\\.");
        // The packages: up to the first class name (upper case), which may be followed by a
        // member name (MyBatis names its loggers Mapper.method).
        int end = 0;
        while (end < parts.length && !parts[end].isEmpty() && !Character.isUpperCase(parts[end].charAt(0))) {
            end++;
        }
        if (end == 0) {
            return parts[0].isEmpty() ? "root" : parts[0];
        }
        if (logger.startsWith("dev.orchestrator.") && end > 2) {
            return String.join("-", List.of(parts).subList(2, end));
        }
        return parts[end - 1];
    }

    /** @return "Type: message; caused by: Type: message", on one line */
    static String summary(Throwable t) {
        var sb = new StringBuilder();
        Throwable c = t;
        for (int depth = 0; c != null && depth < 8; depth++) {
            if (depth > 0) {
                sb.append("; caused by: ");
            }
            sb.append(c.getClass().getName());
            if (c.getMessage() != null) {
                sb.append(": ").append(c.getMessage());
            }
            if (c.getCause() == c) {
                break;
            }
            c = c.getCause();
        }
        return sb.toString();
    }

    private static String stackTrace(Throwable t) {
        var w = new StringWriter();
        try (var p = new PrintWriter(w)) {
            t.printStackTrace(p);
        }
        return w.toString();
    }

    /** Masks join tokens, Authorization credentials and the registered secrets. */
    String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text == null ? "" : text;
        }
        String m = text;
        for (String s : secrets) {
            m = m.replace(s, MASK);
        }
        m = JOIN_TOKEN.matcher(m).replaceAll("$1.$2." + MASK);
        m = NODE_CREDENTIAL.matcher(m).replaceAll("orn1." + MASK);
        return AUTHORIZATION.matcher(m).replaceAll("$1 " + MASK);
    }

    /**
     * @param text any text
     * @return it with CR, LF, tab and the other control characters escaped: one line
     */
    static String escape(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String rep = switch (c) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                        ? String.format("\\u%04x", (int) c) : null;
            };
            if (rep != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (rep != null) {
                    sb.append(rep);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }
}
