package dev.orchestrator.cli;

import java.nio.file.Path;

/** Locations derived from the install directory, which the launcher script passes as a property. */
final class Home {
    private Home() {
    }

    /** @return the install directory ({@code -Dorchestrator.home}), or the working directory */
    static Path dir() {
        return Path.of(System.getProperty("orchestrator.home", ".")).toAbsolutePath().normalize();
    }

    /** @return the config file server and agent read when none is named: {@code <install>/conf/orchestrator.yaml} */
    static Path configFile() {
        return dir().resolve("conf").resolve("orchestrator.yaml");
    }

    /** @return the default drop-in plugins directory */
    static Path pluginsDir() {
        String env = System.getenv("ORCHESTRATOR_PLUGINS_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : dir().resolve("plugins");
    }

    /** @return the launcher's version */
    static String version() {
        var props = new java.util.Properties();
        try (var in = Home.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                props.load(in);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return props.getProperty("version", "unknown");
    }
}
