package dev.orchestrator.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's log as an operator sees it: at the default level a start writes only one-line
 * records and no third-party banners; with {@code --log-format json} every line is a JSON object.
 */
class LogsIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "logs-it-secret-password";
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Pattern TEXT_RECORD = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z (ERROR|WARN |INFO |DEBUG|TRACE) [a-z0-9-]+: .*");

    @TempDir
    Path work;

    /** The server's stdout and stderr, after it served /health and /api and stopped on SIGTERM. */
    private record Output(List<String> out, List<String> err) {
    }

    private Output runServer(String... extra) throws Exception {
        var args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1", "--port", "0", "--data-dir",
                work.resolve("data").toString(), "--plugins-dir", work.resolve("plugins").toString(),
                "--node-name", "logs-it"));
        args.addAll(List.of(extra));
        var cmd = new ArrayList<>(List.of(Image.launcher().toString()));
        cmd.addAll(args);
        // stderr to a file, read once the process has ended: all of it, in order.
        Path errFile = work.resolve("stderr.log");
        Process p = Image.command(cmd, Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD))
                .redirectError(errFile.toFile()).start();
        var out = new ArrayList<String>();
        CompletableFuture<String> port = new CompletableFuture<>();
        Thread reader = Thread.ofVirtual().start(() -> collect(p, out, port));
        try {
            String base = "http://127.0.0.1:" + port.get(60, TimeUnit.SECONDS);
            var http = HttpClient.newHttpClient();
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            String basic = java.util.Base64.getEncoder().encodeToString(("admin:" + PASSWORD)
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(base + "/api/nodes"))
                    .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode());
            // A wrong password: logged or not, the password never is.
            http.send(HttpRequest.newBuilder(URI.create(base + "/api/services")).header("Authorization", "Basic "
                    + java.util.Base64.getEncoder().encodeToString("admin:nope".getBytes(StandardCharsets.UTF_8)))
                    .build(), HttpResponse.BodyHandlers.ofString());
        } finally {
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the server stops on SIGTERM");
        }
        reader.join(10_000);
        return new Output(out, java.nio.file.Files.readAllLines(errFile, StandardCharsets.UTF_8));
    }

    private static void collect(Process p, List<String> out, CompletableFuture<String> port) {
        try (var r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    port.complete(m.group(1));
                }
            }
            port.completeExceptionally(new IllegalStateException("server exited: " + out));
        } catch (IOException e) {
            port.completeExceptionally(e);
        }
    }

    @Test
    void aDefaultStartWritesOnlyOneLineRecordsAndNoBanners() throws Exception {
        Output o = runServer();
        for (String line : o.err()) {
            assertTrue(TEXT_RECORD.matcher(line).matches(), "not a one-line record: " + line + "\n" + o.err());
        }
        String err = String.join("\n", o.err());
        for (String banner : List.of("Helidon", "preview", "Started all channels", "Feature", "logging.properties")) {
            assertFalse(err.contains(banner), "a banner on stderr: " + err);
        }
        assertFalse(err.contains(PASSWORD) || String.join("\n", o.out()).contains(PASSWORD), err);
        assertTrue(o.out().stream().anyMatch(l -> LISTENING.matcher(l).find()), o.out().toString());
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        // debug: many records, Helidon's included, each with the same shape.
        Output o = runServer("--log-format", "json", "--log-level", "debug");
        assertTrue(o.err().size() > 10, "debug writes records: " + o.err());
        for (String line : o.err()) {
            JsonNode n = JSON.readTree(line);
            assertTrue(n.isObject(), line);
            for (String field : List.of("time", "level", "component", "logger", "message")) {
                assertTrue(n.hasNonNull(field), field + " missing: " + line);
            }
            assertFalse(line.contains(PASSWORD), line);
        }
        assertTrue(o.err().stream().anyMatch(l -> l.contains("\"component\":\"helidon\"")), "Helidon at debug");
    }
}
