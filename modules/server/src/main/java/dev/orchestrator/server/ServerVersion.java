package dev.orchestrator.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The server's release, from the build ({@code version.properties}, filtered by Maven). */
final class ServerVersion {
    private static final String VERSION = read();

    private ServerVersion() {
    }

    /** @return e.g. {@code 0.1.0}, or {@code unknown} when run from classes the build did not filter */
    static String get() {
        return VERSION;
    }

    private static String read() {
        var props = new Properties();
        try (InputStream in = ServerVersion.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String v = props.getProperty("version", "unknown");
        return v.startsWith("${") ? "unknown" : v;
    }
}
