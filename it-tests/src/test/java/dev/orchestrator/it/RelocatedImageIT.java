package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped tarball, unpacked somewhere else than the build directory and run through a
 * symlink (as from {@code /usr/local/bin}), works as in the build directory: nothing on stderr,
 * and the AOT cache made at build time is used.
 *
 * <p>Whether the cache is used is read from the JVM's own class loading log
 * ({@code -Xlog:class+load}, passed through {@code ORCHESTRATOR_JAVA_OPTS}): a class mapped from
 * the cache is logged with {@code source: shared objects file}, one read from a jar with
 * {@code source: file:...}.
 */
class RelocatedImageIT {
    private static final String FROM_CACHE = "source: shared objects file";

    @TempDir
    static Path tmp;

    /** The unpacked image's launcher. */
    private static Path unpacked;
    /** A symlink to it in another directory. */
    private static Path linked;

    @TempDir
    Path work;

    @BeforeAll
    static void unpackTheTarballElsewhere() throws Exception {
        Path target = Image.home().getParent();
        Path tarball;
        try (Stream<Path> s = Files.list(target)) {
            tarball = s.filter(p -> p.getFileName().toString().matches("orchestrator-.*-linux-x64\\.tar\\.gz"))
                    .findFirst().orElseThrow(() -> new IllegalStateException("no tarball in " + target));
        }
        // A space in the path, too: the launcher must keep it in one word.
        Path into = Files.createDirectories(tmp.resolve("opt dir"));
        Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", into.toString())
                .redirectErrorStream(true).start();
        String out = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), "tar: " + out);
        unpacked = into.resolve("orchestrator/bin/orchestrator");
        assertTrue(Files.isExecutable(unpacked), "no launcher at " + unpacked);
        linked = Files.createSymbolicLink(Files.createDirectories(tmp.resolve("usr-local-bin")).resolve("orchestrator"),
                unpacked);
    }

    @Test
    void versionThroughASymlinkPrintsTheVersionAndNothingOnStderr() {
        Image.Run r = run(linked, Map.of(), "--version");

        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "stderr");
        assertTrue(r.out().startsWith("orchestrator 0."), r.out());
        assertEquals(Image.run("--version").out(), r.out(), "same as the image in the build directory");
        assertEquals(r.out(), run(linked, Map.of(), "version", "--client").out(), "--version and version --client agree");
    }

    @Test
    void aCommandThroughASymlinkRunsFromTheAotCacheAndPrintsNothingOnStderr() throws IOException {
        Path classes = work.resolve("classes.log");

        Image.Run r = run(linked, classLog(classes), "plugins", "--plugins-dir", work.resolve("p").toString());

        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err(), "stderr");
        assertTrue(r.out().contains("docker"), r.out());
        assertFromCache(classes, "dev.orchestrator.cli.Main");
    }

    @Test
    void theServerStartedFromTheUnpackedCopyUsesTheAotCache() throws Exception {
        Path classes = work.resolve("classes.log");
        Path stderr = work.resolve("stderr.txt");
        var env = new java.util.HashMap<>(classLog(classes));
        env.put("ORCHESTRATOR_ADMIN_PASSWORD", "relocated-secret-1");
        Process p = Image.command(List.of(linked.toString(), "server", "--bind", "127.0.0.1", "--port", "0",
                        "--data-dir", work.resolve("data").toString(), "--plugins-dir", work.resolve("p").toString()), env)
                .redirectError(stderr.toFile()).start();
        try {
            var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            var listening = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
            String port = null;
            var lines = new ArrayList<String>();
            for (String line; port == null && (line = reader.readLine()) != null; ) {
                lines.add(line);
                var m = listening.matcher(line);
                port = m.find() ? m.group(1) : null;
            }
            assertTrue(port != null, "no listening line: " + lines + " " + Files.readString(stderr));
            var res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, res.statusCode());
        } finally {
            p.destroy();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        String err = Files.readString(stderr);
        assertTrue(err.lines().noneMatch(l -> l.contains("[aot]") || l.contains("[cds]")), "stderr: " + err);
        assertFromCache(classes, "dev.orchestrator.cli.Main");
        // Most of the application's start-up classes come from the cache, not from its jars
        // (the few that are not are generated at run time or were not loaded in training).
        long cached = 0;
        long fromJars = 0;
        for (String l : Files.readAllLines(classes)) {
            if (l.contains(" dev.orchestrator.") || l.contains(" io.helidon.")) {
                if (l.contains(FROM_CACHE)) {
                    cached++;
                } else if (l.contains("source: file:") || l.contains("source: jar:")) {
                    fromJars++;
                }
            }
        }
        assertTrue(cached > 500 && fromJars * 10 < cached,
                "application classes from the AOT cache: " + cached + ", from jars: " + fromJars);
    }

    private static Map<String, String> classLog(Path file) {
        return Map.of("ORCHESTRATOR_JAVA_OPTS", "-Xlog:class+load=info:file=" + file);
    }

    private static void assertFromCache(Path classLog, String className) throws IOException {
        String line = Files.readAllLines(classLog).stream().filter(l -> l.contains("] " + className + " source:"))
                .findFirst().orElseThrow(() -> new AssertionError(className + " was not loaded"));
        assertTrue(line.contains(FROM_CACHE), "not from the AOT cache: " + line);
    }

    private static Image.Run run(Path launcher, Map<String, String> env, String... args) {
        var cmd = new ArrayList<String>();
        cmd.add(launcher.toString());
        cmd.addAll(List.of(args));
        try {
            Process p = Image.command(cmd, env).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            var err = new java.util.concurrent.CompletableFuture<byte[]>();
            Thread.ofVirtual().start(() -> {
                try {
                    err.complete(p.getErrorStream().readAllBytes());
                } catch (IOException e) {
                    err.completeExceptionally(e);
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " did not finish");
            }
            return new Image.Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.get(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
