package dev.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.orchestrator.kernel.PluginDescriptor;
import dev.orchestrator.kernel.PluginManager;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code orchestrator plugins}: lists every discovered plugin. */
final class PluginsCommand implements Command {
    @Override
    public String name() {
        return "plugins";
    }

    @Override
    public String summary() {
        return "List discovered plugins (kind, name, module, origin)";
    }

    @Override
    public String help() {
        return """
                Usage: orchestrator plugins [--plugins-dir DIR] [-o table|json]

                Lists every plugin the server would load: built-in plugins from the image and
                drop-in plugins from the plugins directory (each jar, or each sub-directory of
                jars, is one plugin in its own module layer). Fails, naming the plugin, when a
                plugin cannot be loaded or two plugins of one kind share a name.

                Options:
                  --plugins-dir DIR   drop-in directory (default: $ORCHESTRATOR_PLUGINS_DIR or <install>/plugins)
                  -o, --output FMT    table (default) or json
                """;
    }

    @Override
    public int run(List<String> argv, PrintStream out) {
        Args args = Args.parse(argv, Set.of("plugins-dir", "o", "output"), Set.of());
        Path dir = args.value("plugins-dir").map(Path::of).orElseGet(Home::pluginsDir);
        List<PluginDescriptor> plugins = PluginManager.discover(dir).all();
        String format = args.value("o").or(() -> args.value("output")).orElse("table");
        switch (format) {
            case "json" -> out.println(json(plugins));
            case "table" -> table(plugins, out);
            default -> throw new CliException("-o must be 'table' or 'json', got '" + format + "'");
        }
        return 0;
    }

    private static void table(List<PluginDescriptor> plugins, PrintStream out) {
        var t = new Table("KIND", "NAME", "MODULE", "ORIGIN", "WEIGHT");
        for (PluginDescriptor d : plugins) {
            t.row(d.kind().key(), d.name(), d.module(), d.origin().label(), String.valueOf(d.weight()));
        }
        t.print(out);
    }

    private static String json(List<PluginDescriptor> plugins) {
        List<Map<String, Object>> rows = plugins.stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", d.kind().key());
            m.put("name", d.name());
            m.put("module", d.module());
            m.put("origin", d.origin().label());
            m.put("location", d.location());
            m.put("weight", d.weight());
            return m;
        }).toList();
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
