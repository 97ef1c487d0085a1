package dev.orchestrator.cli;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import dev.orchestrator.kernel.PluginSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one {@code server} or {@code agent} run, each from the first of: its flag,
 * its environment variable ({@link Setting#envNames()}), the config file, the default. Values
 * are checked where they come from, so an error names the flag, the variable or the file and key.
 */
final class Configuration {
    /** The variable naming the config file when {@code --config} is not given. */
    static final String CONFIG_ENV = "ORCHESTRATOR_CONFIG";

    private final Args args;
    private final Map<String, String> env;
    private final ConfigFile file;

    /**
     * @param args the command line
     * @param env  the environment variables
     * @param file the config file, or {@link ConfigFile#NONE}
     */
    Configuration(Args args, Map<String, String> env, ConfigFile file) {
        this.args = args;
        this.env = Map.copyOf(env);
        this.file = file;
    }

    /**
     * Reads the config file: {@code --config FILE}, else {@code $ORCHESTRATOR_CONFIG}, else the
     * install's {@code conf/orchestrator.yaml} if present.
     *
     * @param args        the command line, with a {@code config} option
     * @param env         the environment variables
     * @param defaultFile the install's file
     * @return the configuration
     * @throws CliException when a named file is missing or the file is not valid
     */
    static Configuration load(Args args, Map<String, String> env, Path defaultFile) {
        Optional<String> named = args.value("config")
                .or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).filter(v -> !v.isBlank()));
        ConfigFile file;
        if (named.isPresent()) {
            file = ConfigFile.load(Path.of(named.get()));
        } else {
            file = Files.isRegularFile(defaultFile) ? ConfigFile.load(defaultFile) : ConfigFile.NONE;
        }
        return new Configuration(args, env, file);
    }

    /**
     * @param s    the setting
     * @param flag its flag without dashes, or null if it has none
     * @return its text from the first source that sets it, checked
     * @throws CliException naming the source when the text is not valid
     */
    Optional<String> value(Setting s, String flag) {
        if (flag != null && args.value(flag).isPresent()) {
            return Optional.of(s.read("--" + flag, args.value(flag).get()));
        }
        for (String name : s.envNames()) {
            String v = env.get(name);
            if (v != null && !v.isBlank()) {
                return Optional.of(s.read(name, v.trim()));
            }
        }
        // Checked when the file was read.
        return Optional.ofNullable(file.values().get(s.key()));
    }

    String text(Setting s, String flag, String fallback) {
        return value(s, flag).orElse(fallback);
    }

    Path path(Setting s, String flag, Path fallback) {
        return value(s, flag).map(Path::of).orElse(fallback);
    }

    int integer(Setting s, String flag, int fallback) {
        return value(s, flag).map(Integer::parseInt).orElse(fallback);
    }

    double number(Setting s, String flag, double fallback) {
        return value(s, flag).map(Double::parseDouble).orElse(fallback);
    }

    Duration duration(Setting s, String flag, Duration fallback) {
        return value(s, flag).map(v -> Validation.duration(s.key(), v)).orElse(fallback);
    }

    /** @return bytes, 0 for unset or {@code 0} */
    long size(Setting s, String flag) {
        return value(s, flag).filter(v -> !v.equals("0")).map(v -> Validation.size(s.key(), v)).orElse(0L);
    }

    /**
     * A boolean setting whose flag is a switch that sets it to false ({@code --no-local-node}).
     *
     * @param s        the setting
     * @param negation the switch
     * @param fallback the default
     * @return the value
     */
    boolean enabled(Setting s, String negation, boolean fallback) {
        if (args.flag(negation)) {
            return false;
        }
        return value(s, null).map(Boolean::parseBoolean).orElse(fallback);
    }

    /**
     * The node labels: every {@code --label KEY=VALUE} if any is given (they replace, not add
     * to, the others), else the environment's {@code KEY=VALUE,...}, else the file's mapping.
     *
     * @param flag the repeatable flag
     * @return the labels
     */
    Map<String, String> labels(String flag) {
        List<String> given = args.values(flag);
        if (!given.isEmpty()) {
            var labels = new java.util.LinkedHashMap<String, String>();
            for (String l : given) {
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    throw new CliException("--" + flag + " must be KEY=VALUE, got '" + l + "'");
                }
                try {
                    labels.put(Validation.dnsLabel("--" + flag + " key", l.substring(0, eq)), l.substring(eq + 1));
                } catch (OrchestratorException e) {
                    throw new CliException(e.getMessage());
                }
            }
            return labels;
        }
        Optional<String> text = value(Settings.LABELS, null);
        if (text.isPresent()) {
            return text.get().isBlank() ? Map.of() : Settings.labels(text.get()).orElseThrow();
        }
        return file.labels().orElse(Map.of());
    }

    /** @return the plugins' settings from the file */
    PluginSettings plugins() {
        return file.plugins();
    }

    /** @return the config file read, if any */
    Optional<Path> file() {
        return Optional.ofNullable(file.path());
    }
}
