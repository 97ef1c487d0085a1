package dev.orchestrator.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeFactory;
import dev.orchestrator.api.spi.ProbeTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.orchestrator.testkit.PluginJars;

class PluginManagerTest {
    private static final KernelContext CONTEXT = new KernelContext(Clock.systemUTC(), (t, s, c, m) -> { });

    @TempDir
    Path work;

    private Path pluginsDir() throws IOException {
        return Files.createDirectories(work.resolve("plugins"));
    }

    @Test
    void dropInJarIsDiscoveredAndUsed() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.echo", "echo", 100), plugins.resolve("echo.jar"));

        PluginManager pm = PluginManager.discover(plugins);

        PluginDescriptor d = pm.find(PluginKind.PROBE, "echo").orElseThrow();
        assertEquals(Origin.DROP_IN, d.origin());
        assertEquals("com.example.echo", d.module());
        assertEquals(plugins.resolve("echo.jar").toString(), d.location());
        assertTrue(d.factory().getClass().getModule().getLayer() != ModuleLayer.boot(), "own layer");
        Probe probe = pm.create(ProbeFactory.class, "echo", new PluginConfig(Map.of("reply", "pong")), CONTEXT);
        var result = probe.check(new ProbeTarget("id", "web-0", "127.0.0.1", Map.of(), null, null));
        assertTrue(result.healthy());
        assertEquals("pong:web-0", result.detail());
    }

    @Test
    void pluginDirectoryMayCarryAutomaticModuleDependencies() throws IOException {
        Path plugins = pluginsDir();
        Path dir = Files.createDirectories(plugins.resolve("greeter"));
        Path lib = PluginJars.automaticJar(work, "greeting-lib", "org.lib.Greeting",
                "package org.lib; public final class Greeting { public static String text() { return \"hi\"; } }");
        String factory = """
                package com.example.greeter;
                import dev.orchestrator.api.spi.*;
                import java.time.Duration;
                public final class F implements ProbeFactory {
                    public String name() { return "greeter"; }
                    public Probe create(PluginConfig c, PluginContext x) {
                        return t -> ProbeResult.healthy(org.lib.Greeting.text(), Duration.ZERO);
                    }
                }
                """;
        Path jar = PluginJars.build(work, "greeter", Map.of(
                "module-info.java", "module com.example.greeter { requires dev.orchestrator.api;"
                        + " requires greeting.lib; provides dev.orchestrator.api.spi.ProbeFactory"
                        + " with com.example.greeter.F; }",
                "com/example/greeter/F.java", factory), List.of(lib));
        Files.move(jar, dir.resolve("greeter.jar"));
        Files.move(lib, dir.resolve("greeting-lib.jar"));

        PluginManager pm = PluginManager.discover(plugins);

        Probe probe = pm.create(ProbeFactory.class, "greeter", PluginConfig.EMPTY, CONTEXT);
        assertEquals("hi", probe.check(new ProbeTarget("id", "r", "h", Map.of(), null, null)).detail());
        assertEquals(dir.toString(), pm.find(PluginKind.PROBE, "greeter").orElseThrow().location());
    }

    @Test
    void highestWeightIsTheDefaultWhateverTheDiscoveryOrder() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.a", "aaa", 10), plugins.resolve("a.jar"));
        Files.move(PluginJars.probePlugin(work, "com.example.z", "zzz", 500), plugins.resolve("z.jar"));
        Files.move(PluginJars.probePlugin(work, "com.example.m", "mmm", 500), plugins.resolve("m.jar"));

        PluginManager pm = PluginManager.discover(plugins);

        assertEquals(List.of("mmm", "zzz", "aaa"),
                pm.plugins(PluginKind.PROBE).stream().map(PluginDescriptor::name).toList());
        assertEquals("mmm", pm.select(PluginKind.PROBE, null).name());
        assertEquals("aaa", pm.select(PluginKind.PROBE, "aaa").name());
    }

    @Test
    void duplicateNamesFailNamingBothModules() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.one", "same", 100), plugins.resolve("one.jar"));
        Files.move(PluginJars.probePlugin(work, "com.example.two", "same", 100), plugins.resolve("two.jar"));

        var e = assertThrows(PluginException.class, () -> PluginManager.discover(plugins));

        assertTrue(e.getMessage().contains("duplicate probe plugin 'same'"), e.getMessage());
        assertTrue(e.getMessage().contains("com.example.one") && e.getMessage().contains("com.example.two"),
                e.getMessage());
        assertTrue(e.getMessage().contains(plugins.resolve("two.jar").toString()), e.getMessage());
    }

    @Test
    void missingPluginNamesWhatIsAvailable() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.echo", "echo", 100), plugins.resolve("echo.jar"));
        PluginManager pm = PluginManager.discover(plugins);

        var e = assertThrows(PluginException.class, () -> pm.select(PluginKind.PROBE, "grpc"));
        assertEquals("probe plugin 'grpc' is not installed; available: echo", e.getMessage());
        var input = assertThrows(dev.orchestrator.api.OrchestratorException.class,
                () -> pm.requireInstalled(PluginKind.PROBE, "grpc", "health_check.type"));
        assertEquals(dev.orchestrator.api.ErrorCode.INVALID_ARGUMENT, input.code());
        assertEquals("health_check.type 'grpc' is not an installed probe plugin; available: echo", input.getMessage());
        pm.requireInstalled(PluginKind.PROBE, "echo", "health_check.type");

        var none = assertThrows(PluginException.class, () -> pm.select(PluginKind.LOAD_BALANCER, null));
        assertTrue(none.getMessage().startsWith("no load-balancer plugin found: expected a module that provides"
                + " dev.orchestrator.api.spi.LoadBalancerFactory"), none.getMessage());
    }

    @Test
    void pluginIsCreatedByNameWithItsConfiguredSettings() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.echo", "echo", 100), plugins.resolve("echo.jar"));
        var settings = new PluginSettings(Map.of(PluginKind.PROBE, Map.of("echo",
                new PluginConfig(Map.of("reply", "configured")))));
        PluginManager pm = PluginManager.discover(plugins, settings);

        var target = new ProbeTarget("id", "web-0", "127.0.0.1", Map.of(), null, null);
        assertEquals("configured:web-0", pm.create(ProbeFactory.class, "echo", CONTEXT).check(target).detail());
        assertEquals("configured:web-0", pm.create(ProbeFactory.class, null, CONTEXT).check(target).detail(),
                "the default, by weight, gets its settings too");
        var probes = new Probes(pm, CONTEXT);
        assertEquals("configured:web-0", probes.get("echo").check(target).detail());
        probes.close();
    }

    @Test
    void namedPluginThatIsNotInstalledFailsCreation() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.echo", "echo", 100), plugins.resolve("echo.jar"));
        PluginManager pm = PluginManager.discover(plugins);

        var e = assertThrows(PluginException.class, () -> pm.create(ProbeFactory.class, "grpc", CONTEXT));
        assertEquals("probe plugin 'grpc' is not installed; available: echo", e.getMessage());
        var lb = assertThrows(PluginException.class, () -> pm.create(
                dev.orchestrator.api.spi.LoadBalancerFactory.class, "round-robin", CONTEXT));
        assertEquals("load-balancer plugin 'round-robin' is not installed; available: none", lb.getMessage());
    }

    @Test
    void settingsForAPluginThatIsNotInstalledFailDiscovery() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.echo", "echo", 100), plugins.resolve("echo.jar"));
        var settings = new PluginSettings(Map.of(PluginKind.PROBE, Map.of("ecko", PluginConfig.EMPTY)));

        var e = assertThrows(PluginException.class, () -> PluginManager.discover(plugins, settings));
        assertEquals("probe plugin 'ecko' is not installed; available: echo", e.getMessage());
    }

    @Test
    void pluginBundlingTheApiIsRefused() throws IOException {
        Path plugins = pluginsDir();
        Path dir = Files.createDirectories(plugins.resolve("greedy"));
        Files.move(PluginJars.probePlugin(work, "com.example.greedy", "greedy", 100), dir.resolve("greedy.jar"));
        Path api = PluginJars.apiLocation();
        if (Files.isRegularFile(api)) {
            Files.copy(api, dir.resolve("api.jar"));
        } else {
            PluginJars.build(work, "api-copy", Map.of("module-info.java", "module dev.orchestrator.api { }"),
                    List.of());
            Files.move(work.resolve("api-copy.jar"), dir.resolve("api.jar"));
        }

        var e = assertThrows(PluginException.class, () -> PluginManager.discover(plugins));

        assertTrue(e.getMessage().contains("bundles module dev.orchestrator.api"), e.getMessage());
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void corruptJarIsNamed() throws IOException {
        Path plugins = pluginsDir();
        Files.writeString(plugins.resolve("broken.jar"), "not a zip");

        var e = assertThrows(PluginException.class, () -> PluginManager.discover(plugins));

        assertTrue(e.getMessage().contains("broken.jar"), e.getMessage());
    }

    @Test
    void badPluginNameIsRefused() throws IOException {
        Path plugins = pluginsDir();
        Files.move(PluginJars.probePlugin(work, "com.example.bad", "Bad_Name", 100), plugins.resolve("bad.jar"));

        var e = assertThrows(PluginException.class, () -> PluginManager.discover(plugins));

        assertTrue(e.getMessage().contains("has name 'Bad_Name': expected a lower-case DNS label"), e.getMessage());
        assertTrue(e.getMessage().contains("com.example.bad.EchoFactory"), e.getMessage());
    }

    @Test
    void failingConstructorIsNamed() throws IOException {
        Path plugins = pluginsDir();
        String factory = """
                package com.example.boom;
                import dev.orchestrator.api.spi.*;
                public final class F implements ProbeFactory {
                    public F() { throw new IllegalStateException("no config"); }
                    public String name() { return "boom"; }
                    public Probe create(PluginConfig c, PluginContext x) { return null; }
                }
                """;
        Path jar = PluginJars.build(work, "boom", Map.of("module-info.java", "module com.example.boom {"
                + " requires dev.orchestrator.api; provides dev.orchestrator.api.spi.ProbeFactory with"
                + " com.example.boom.F; }", "com/example/boom/F.java", factory), List.of());
        Files.move(jar, plugins.resolve("boom.jar"));

        var e = assertThrows(PluginException.class, () -> PluginManager.discover(plugins));

        assertTrue(e.getMessage().contains("com.example.boom.F"), e.getMessage());
        assertTrue(e.getMessage().contains("boom.jar"), e.getMessage());
    }

    @Test
    void missingDirectoryMeansNoDropIns() {
        PluginManager pm = PluginManager.discover(work.resolve("absent"));
        assertTrue(pm.all().stream().noneMatch(d -> d.origin() == Origin.DROP_IN));
    }
}
