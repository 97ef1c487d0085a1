package dev.orchestrator.testkit;

import dev.orchestrator.api.spi.PluginFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.spi.ToolProvider;

/**
 * Builds real plugin jars at test time: writes Java sources, compiles them with the JDK's
 * javac against the API module, and packs them with the jar tool. Needs a JDK (not a trimmed
 * runtime) since it runs {@code javac}.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Compiles a tiny probe plugin module.
     *
     * @param dir      where to build and put the jar
     * @param module   module name, e.g. {@code com.example.echo}
     * @param name     the plugin name its factory reports
     * @param weight   the factory's weight
     * @return the jar; its probe answers healthy with {@code <reply>:<replica>}, where reply is
     *         the config key {@code reply} (default: the module name)
     */
    public static Path probePlugin(Path dir, String module, String name, int weight) {
        String pkg = module;
        String factory = """
                package %s;
                import dev.orchestrator.api.spi.*;
                import java.time.Duration;
                public final class EchoFactory implements ProbeFactory {
                    public String name() { return "%s"; }
                    public int weight() { return %d; }
                    public Probe create(PluginConfig config, PluginContext context) {
                        String reply = config.get("reply", "%s");
                        return target -> ProbeResult.healthy(reply + ":" + target.replica(), Duration.ZERO);
                    }
                }
                """.formatted(pkg, name, weight, module);
        String info = "module %s { requires dev.orchestrator.api; provides dev.orchestrator.api.spi.ProbeFactory"
                + " with %s.EchoFactory; }";
        return build(dir, module, Map.of("module-info.java", info.formatted(module, pkg),
                pkg.replace('.', '/') + "/EchoFactory.java", factory), List.of());
    }

    /**
     * Compiles a module from sources and jars it.
     *
     * @param dir        the working directory
     * @param jarName    the jar's base name
     * @param sources    relative path to source text
     * @param modulePath extra jars the sources need, besides the API
     * @return the jar
     */
    public static Path build(Path dir, String jarName, Map<String, String> sources, List<Path> modulePath) {
        try {
            Path src = Files.createDirectories(dir.resolve("src-" + jarName));
            Path out = Files.createDirectories(dir.resolve("classes-" + jarName));
            var args = new ArrayList<>(List.of("-d", out.toString(), "--module-path", modulePath(modulePath)));
            for (var e : sources.entrySet()) {
                Path file = src.resolve(e.getKey());
                Files.createDirectories(java.util.Objects.requireNonNull(file.getParent()));
                Files.writeString(file, e.getValue());
                args.add(file.toString());
            }
            run("javac", args);
            Path jar = dir.resolve(jarName + ".jar");
            run("jar", List.of("--create", "--file", jar.toString(), "-C", out.toString(), "."));
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Jars plain classes without a module descriptor, so the jar is an automatic module.
     *
     * @param dir       the working directory
     * @param jarName   the jar's base name (its automatic module name derives from it)
     * @param className the class's binary name
     * @param source    the class's source
     * @return the jar
     */
    public static Path automaticJar(Path dir, String jarName, String className, String source) {
        try {
            Path src = Files.createDirectories(dir.resolve("src-" + jarName));
            Path out = Files.createDirectories(dir.resolve("classes-" + jarName));
            Path file = src.resolve(className.replace('.', '/') + ".java");
            Files.createDirectories(java.util.Objects.requireNonNull(file.getParent()));
            Files.writeString(file, source);
            run("javac", List.of("-d", out.toString(), file.toString()));
            Path jar = dir.resolve(jarName + ".jar");
            run("jar", List.of("--create", "--file", jar.toString(), "-C", out.toString(), "."));
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the jar or directory the API module was loaded from */
    public static Path apiLocation() {
        try {
            return Path.of(PluginFactory.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String modulePath(List<Path> extra) {
        var parts = new ArrayList<String>();
        parts.add(apiLocation().toString());
        extra.forEach(p -> parts.add(p.toString()));
        return String.join(java.io.File.pathSeparator, parts);
    }

    private static void run(String tool, List<String> args) {
        var buf = new ByteArrayOutputStream();
        var ps = new PrintStream(buf, true, StandardCharsets.UTF_8);
        int rc = ToolProvider.findFirst(tool).orElseThrow(() -> new IllegalStateException("no " + tool + " tool"))
                .run(ps, ps, args.toArray(String[]::new));
        if (rc != 0) {
            throw new IllegalStateException(tool + " failed (" + rc + "): " + buf.toString(StandardCharsets.UTF_8));
        }
    }
}
