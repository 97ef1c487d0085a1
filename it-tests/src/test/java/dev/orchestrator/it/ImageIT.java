package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.testkit.PluginJars;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image works from its own directory: version, plugins (built-in and drop-in), server. */
class ImageIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void imageCarriesItsOwnTrimmedRuntime() throws IOException {
        Path home = Image.home();
        assertTrue(Files.isExecutable(home.resolve("bin/java")));
        String release = Files.readString(home.resolve("release"));
        assertTrue(release.contains("MODULES="), release);
        assertTrue(!release.contains("jdk.compiler") && !release.contains("jdk.jshell")
                && !release.contains("java.scripting"), "the runtime is trimmed: " + release);
    }

    @Test
    void versionRunsWithoutAJdkOnThePath() {
        Image.Run r = Image.run("--version");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("orchestrator 0."), r.out());
    }

    @Test
    void pluginsListsTheBuiltInDockerDriver() throws IOException {
        Image.Run r = Image.run("plugins", "--plugins-dir", work.toString(), "-o", "json");
        assertEquals(0, r.status(), r.err());
        JsonNode docker = find(JSON.readTree(r.out()), "runtime", "docker");
        assertEquals("dev.orchestrator.runtime.docker", docker.get("module").asText());
        assertEquals("built-in", docker.get("origin").asText());

        Image.Run table = Image.run("plugins", "--plugins-dir", work.toString());
        assertTrue(Pattern.compile("(?m)^KIND\\s+NAME\\s+MODULE\\s+ORIGIN").matcher(table.out()).find(), table.out());
        assertTrue(Pattern.compile("(?m)^runtime\\s+docker\\s+dev\\.orchestrator\\.runtime\\.docker\\s+built-in")
                .matcher(table.out()).find(), table.out());
    }

    @Test
    void dropInPluginJarIsListed() throws IOException {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.move(PluginJars.probePlugin(work, "com.example.echo", "echo", 100), plugins.resolve("echo.jar"));

        Image.Run r = Image.run("plugins", "--plugins-dir", plugins.toString(), "-o", "json");

        assertEquals(0, r.status(), r.err());
        JsonNode echo = find(JSON.readTree(r.out()), "probe", "echo");
        assertEquals("drop-in", echo.get("origin").asText());
        assertEquals("com.example.echo", echo.get("module").asText());
        assertEquals(plugins.resolve("echo.jar").toString(), echo.get("location").asText());
    }

    @Test
    void duplicatePluginFailsWithOneClearLine() throws IOException {
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Files.move(PluginJars.probePlugin(work, "com.example.one", "twin", 100), plugins.resolve("one.jar"));
        Files.move(PluginJars.probePlugin(work, "com.example.two", "twin", 100), plugins.resolve("two.jar"));

        Image.Run r = Image.run("plugins", "--plugins-dir", plugins.toString());

        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: duplicate probe plugin 'twin'"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void unknownCommandAndBadOptionsExitNonZero() {
        Image.Run r = Image.run("frobnicate");
        assertEquals(2, r.status());
        assertEquals("error: unknown command 'frobnicate' (see orchestrator --help)", r.err().strip());
        Image.Run bad = Image.run("server", "--port", "70000");
        assertEquals(2, bad.status(), "a bad option is bad usage, as an unknown command is");
        assertTrue(bad.err().contains("--port must be a port number 0-65535, got '70000'"), bad.err());
    }

    @Test
    void serverAnswersHealthAndStopsOnSigterm() throws Exception {
        Process p = Image.start(Map.of(), "server", "--bind", "127.0.0.1", "--port", "0",
                "--data-dir", work.resolve("data").toString(), "--plugins-dir", work.resolve("p").toString());
        try {
            var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            // The first start prints the generated admin password before the listening line.
            var listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
            String port = null;
            for (int i = 0; i < 4 && port == null; i++) {
                var m = listening.matcher(String.valueOf(reader.readLine()));
                port = m.find() ? m.group(1) : null;
            }
            assertTrue(port != null, "no listening line");
            var res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
            assertEquals("ok", JSON.readTree(res.body()).get("status").asText());
        } finally {
            p.destroy();
        }
        assertEquals(143, p.waitFor(), "SIGTERM ends the server through its shutdown hook");
    }

    @Test
    void aServerOnATakenPortExitsWithOneLineInsteadOfHanging() throws IOException {
        try (var taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Image.Run r = Image.run("server", "--bind", "127.0.0.1", "--port", String.valueOf(taken.getLocalPort()),
                    "--no-local-node", "--data-dir", work.resolve("data").toString(),
                    "--plugins-dir", work.resolve("p").toString());

            assertEquals(1, r.status(), r.err());
            assertTrue(r.err().strip().endsWith("error: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the address is in use or not this machine's"), r.err());
            assertTrue(!r.out().contains("listening on"), r.out());
        }
    }

    private static JsonNode find(JsonNode plugins, String kind, String name) {
        for (JsonNode p : plugins) {
            if (p.get("kind").asText().equals(kind) && p.get("name").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no " + kind + " plugin '" + name + "' in " + plugins);
    }
}
