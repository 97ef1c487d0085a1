package dev.orchestrator.cli;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.kernel.PluginSettings;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.config.ConfigSources;
import io.helidon.config.yaml.YamlConfigParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The config file of {@code server} and {@code agent}, a YAML file read through Helidon Config
 * and checked whole when loaded: an unknown key, a value of the wrong type or a mapping where a
 * value belongs fails with one line naming the file, the key and what was expected.
 *
 * <p>Keys are {@link Settings}' (e.g. {@code server.port}); besides them {@code node.labels}
 * is a mapping of label keys to values, and {@code plugins.<kind>.<name>} a mapping of that
 * plugin's settings, which the plugin itself checks when it is created.
 *
 * @param path    the file
 * @param values  the values of {@link Settings}' keys that the file sets
 * @param labels  {@code node.labels}, if the file sets it as a mapping
 * @param plugins every {@code plugins.<kind>.<name>.<key>} entry
 */
record ConfigFile(Path path, Map<String, String> values, Optional<Map<String, String>> labels,
                  PluginSettings plugins) {
    /** No file: every value comes from flags, the environment or the defaults. */
    static final ConfigFile NONE = new ConfigFile(null, Map.of(), Optional.empty(), PluginSettings.NONE);

    private static final List<String> SECTIONS = List.of("server", "agent", "node", "plugins", "log");
    private static final Pattern PLUGIN_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Copies the maps. */
    ConfigFile {
        values = Map.copyOf(values);
        labels = labels.map(Map::copyOf);
    }

    /**
     * Reads and checks a file.
     *
     * @param path the file
     * @return its settings
     * @throws CliException when the file is missing, is not YAML, or holds an unknown key or a bad value
     */
    static ConfigFile load(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CliException("config file " + path + " does not exist (given with --config or"
                    + " ORCHESTRATOR_CONFIG)");
        }
        var values = new LinkedHashMap<String, String>();
        var labels = new LinkedHashMap<String, String>();
        var plugins = new EnumMap<PluginKind, Map<String, Map<String, String>>>(PluginKind.class);
        boolean labelMapping = false;
        Config root = read(path);
        if (root.get(Settings.LABELS.key()).type() == Config.Type.LIST) {
            throw new CliException(path + ": " + Settings.LABELS.key() + " must be a mapping of label keys to values,"
                    + " got a list");
        }
        for (Config leaf : leaves(root)) {
            String key = leaf.key().toString();
            String text = leaf.asString().orElse("");
            if (key.startsWith(Settings.LABELS.key() + ".")) {
                labelMapping = true;
                label(path, key, text, labels);
            } else if (key.startsWith("plugins.") && !key.equals(Settings.PLUGINS_DIR.key())) {
                plugin(path, key, text, plugins);
            } else {
                Setting s = Settings.find(key).orElseThrow(() -> unknown(path, key));
                values.put(key, s.read(path + ": " + key, text));
            }
        }
        return new ConfigFile(path, values, labelMapping ? Optional.of(labels) : Optional.empty(),
                pluginSettings(plugins));
    }

    /** Helidon Config over this one file: no environment, system properties, services or ${} resolution. */
    private static Config read(Path path) {
        try {
            return Config.builder()
                    .disableEnvironmentVariablesSource()
                    .disableSystemPropertiesSource()
                    .disableParserServices()
                    .disableFilterServices()
                    .disableMapperServices()
                    .disableValueResolving()
                    .disableKeyResolving()
                    .disableCaching()
                    .addParser(YamlConfigParser.create())
                    .sources(ConfigSources.file(path))
                    .build();
        } catch (ConfigException e) {
            throw new CliException(path + ": not a valid YAML file: " + rootCause(e));
        }
    }

    private static List<Config> leaves(Config root) {
        try {
            return root.traverse().filter(Config::isLeaf).toList();
        } catch (ConfigException e) {
            throw new CliException(root.key() + ": cannot be read: " + rootCause(e));
        }
    }

    private static void label(Path path, String key, String text, Map<String, String> labels) {
        String name = key.substring(Settings.LABELS.key().length() + 1);
        if (name.contains(".") || !PLUGIN_NAME.matcher(name).matches()) {
            throw new CliException(path + ": " + key + ": expected a label key (a DNS label such as disk) with a"
                    + " plain value");
        }
        labels.put(name, text);
    }

    private static void plugin(Path path, String key, String text, Map<PluginKind, Map<String, Map<String, String>>> out) {
        String[] parts = key.split("\\.", 4);
        PluginKind kind = Arrays.stream(PluginKind.values()).filter(k -> k.key().equals(parts[1])).findFirst()
                .orElseThrow(() -> new CliException(path + ": unknown key '" + key + "'; expected plugins.dir or"
                        + " plugins.KIND.NAME.KEY with KIND one of " + kinds()));
        if (parts.length < 4 || !PLUGIN_NAME.matcher(parts[2]).matches()) {
            throw new CliException(path + ": " + key + ": expected plugins." + kind.key() + ".NAME.KEY: a mapping of"
                    + " each plugin's name to its settings");
        }
        out.computeIfAbsent(kind, k -> new LinkedHashMap<>()).computeIfAbsent(parts[2], n -> new LinkedHashMap<>())
                .put(parts[3], text);
    }

    private static PluginSettings pluginSettings(Map<PluginKind, Map<String, Map<String, String>>> raw) {
        var configs = new EnumMap<PluginKind, Map<String, PluginConfig>>(PluginKind.class);
        raw.forEach((kind, byName) -> {
            var m = new HashMap<String, PluginConfig>();
            byName.forEach((name, values) -> m.put(name, new PluginConfig(values)));
            configs.put(kind, m);
        });
        return new PluginSettings(configs);
    }

    private static CliException unknown(Path path, String key) {
        String section = key.substring(0, Math.max(0, key.indexOf('.')));
        if (key.indexOf('.') < 0 || !SECTIONS.contains(section)) {
            String top = key.indexOf('.') < 0 ? key : section;
            return new CliException(path + ": unknown key '" + top + "'; expected the sections "
                    + String.join(", ", SECTIONS));
        }
        boolean isPrefix = Settings.ALL.stream().anyMatch(s -> key.startsWith(s.key() + "."));
        if (isPrefix) {
            Setting s = Settings.ALL.stream().filter(x -> key.startsWith(x.key() + ".")).findFirst().orElseThrow();
            return new CliException(path + ": " + s.key() + " must be " + s.expected() + ", got a mapping or a list");
        }
        return new CliException(path + ": unknown key '" + key + "'; known keys of " + section + ": "
                + Settings.keysOf(section));
    }

    private static String kinds() {
        return Arrays.stream(PluginKind.values()).map(PluginKind::key).collect(Collectors.joining(", "));
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return m.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining(" "));
    }
}
