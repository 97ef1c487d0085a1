package dev.orchestrator.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log of {@code server} and {@code agent}: java.util.logging (behind System.Logger and
 * Helidon's loggers), configured in code before anything logs. One handler on the root logger
 * writes one line per record to stderr ({@link LogFormatter}); stdout keeps the command's own
 * lines ({@code orchestrator server listening on ...}) that scripts read.
 *
 * <p>At the default level {@code info} Helidon's loggers are at WARNING, so its start-up banners
 * (features, preview notice, "Started all channels") stay out; at {@code debug} they follow the
 * chosen level like every other logger; at {@code warn} and {@code error} all loggers do.
 * Helidon's own JUL set-up (a {@code logging.properties} in the working directory or on the
 * module path) is switched off, so it cannot replace this one. A few third-party loggers stay
 * at INFO at debug ({@link #CAPPED}): the SQL trace of MyBatis would write password hashes.
 */
final class Logging {
    /** Helidon's switch that keeps it from reading a logging.properties and announcing it. */
    static final String HELIDON_CONFIG_DISABLED = "io.helidon.logging.config.disabled";

    /** The levels, as named on the command line. */
    enum LogLevel {
        ERROR(Level.SEVERE), WARN(Level.WARNING), INFO(Level.INFO), DEBUG(Level.FINE);

        private final Level jul;

        LogLevel(Level jul) {
            this.jul = jul;
        }

        /** @return the JUL level it stands for */
        Level jul() {
            return jul;
        }
    }

    /**
     * The log settings of one run.
     *
     * @param level  the lowest level written
     * @param format text or JSON lines
     */
    record Options(LogLevel level, LogFormatter.Style format) {
        /** The defaults: info, text. */
        static final Options DEFAULT = new Options(LogLevel.INFO, LogFormatter.Style.TEXT);
    }

    /** The flags with their settings, for server and agent. */
    static final List<NodeFlags.Flag> FLAGS = List.of(new NodeFlags.Flag("log-level", Settings.LOG_LEVEL),
            new NodeFlags.Flag("log-format", Settings.LOG_FORMAT));

    /** Their help lines. */
    static final String HELP = """
              --log-level LEVEL        error, warn, info or debug (default info); Helidon's own INFO
                                       lines show at debug only
              --log-format FORMAT      text (one line per record) or json (one object per line)
                                       (default text); logs go to stderr
            """;

    // JUL holds loggers weakly: a level set on one nobody references would be lost.
    private static final Logger HELIDON = Logger.getLogger("io.helidon");
    /**
     * Loggers held at INFO even at debug: MyBatis traces every SQL statement with its
     * parameters (password hashes, join token hashes) under the mappers' names, and the JDK's
     * security events list every trusted certificate. Neither is for operators.
     */
    private static final List<Logger> CAPPED = List.of(Logger.getLogger("org.apache.ibatis"),
            Logger.getLogger("dev.orchestrator.store.internal"), Logger.getLogger("jdk.event.security"));

    private Logging() {
    }

    /**
     * @param c the configuration of the run
     * @return its log settings, checked
     * @throws CliException for a bad value, naming its source
     */
    static Options options(Configuration c) {
        LogLevel level = c.value(Settings.LOG_LEVEL, "log-level").map(v -> LogLevel.valueOf(upper(v)))
                .orElse(LogLevel.INFO);
        LogFormatter.Style format = c.value(Settings.LOG_FORMAT, "log-format").map(v -> LogFormatter.Style.valueOf(
                upper(v))).orElse(LogFormatter.Style.TEXT);
        return new Options(level, format);
    }

    /** @return true for a valid {@code --log-level} */
    static boolean validLevel(String v) {
        return List.of("error", "warn", "info", "debug").contains(v);
    }

    /** @return true for a valid {@code --log-format} */
    static boolean validFormat(String v) {
        return v.equals("text") || v.equals("json");
    }

    private static String upper(String v) {
        return v.toUpperCase(Locale.ROOT);
    }

    /**
     * Replaces the JUL configuration: the root logger at the level, one handler to {@code err}.
     *
     * @param options the settings
     * @param err     where records go (stderr)
     * @param secrets texts masked if a record ever holds one (the admin password, the join token)
     */
    static void configure(Options options, PrintStream err, List<String> secrets) {
        System.setProperty(HELIDON_CONFIG_DISABLED, "true");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        root.setLevel(options.level().jul());
        var handler = new LineHandler(err, new LogFormatter(options.format(), options.level() == LogLevel.DEBUG,
                secrets));
        root.addHandler(handler);
        HELIDON.setLevel(options.level() == LogLevel.INFO ? Level.WARNING : null);
        CAPPED.forEach(l -> l.setLevel(options.level() == LogLevel.DEBUG ? Level.INFO : null));
    }

    /** Writes each record whole and flushes it: lines of concurrent records never interleave. */
    static final class LineHandler extends Handler {
        private final PrintStream out;

        LineHandler(PrintStream out, LogFormatter formatter) {
            this.out = out;
            setFormatter(formatter);
            setLevel(Level.ALL);
            try {
                setEncoding(StandardCharsets.UTF_8.name());
            } catch (java.io.UnsupportedEncodingException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void publish(LogRecord record) {
            if (!isLoggable(record)) {
                return;
            }
            String line;
            try {
                line = getFormatter().format(record);
            } catch (RuntimeException e) {
                reportError("formatting a log record failed", e, java.util.logging.ErrorManager.FORMAT_FAILURE);
                return;
            }
            synchronized (this) {
                out.print(line);
                out.flush();
            }
        }

        @Override
        public void flush() {
            out.flush();
        }

        @Override
        public void close() {
            // stderr stays open: LogManager's shutdown reset closes handlers.
            flush();
        }
    }
}
