package dev.orchestrator.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real headless Chromium (Debian's {@code chromium}) driven over its DevTools protocol: one
 * page, commands sent over a WebSocket ({@code java.net.http}), answers matched by id, events
 * handed to a listener. Closing it ends the browser.
 */
final class Chromium implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private volatile Consumer<JsonNode> events = e -> { };
    /** The last message queued: a WebSocket refuses a send while another is in flight. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** The browser's executable, if installed. */
    static Optional<Path> executable() {
        for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                Path p = Path.of(dir, name);
                if (Files.isExecutable(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts the browser with a blank page of {@code width} x {@code height} and attaches to it. */
    static Chromium start(Path exe, Path profile, int width, int height) throws Exception {
        Process p = new ProcessBuilder(exe.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserWs = null;
        var err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (String line; browserWs == null && System.nanoTime() < deadline && (line = err.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browserWs = m.group(1);
            }
        }
        if (browserWs == null) {
            p.destroyForcibly();
            throw new AssertionError("chromium did not open its DevTools port");
        }
        Thread.ofVirtual().start(() -> drain(err));
        URI browser = URI.create(browserWs);
        HttpClient http = HttpClient.newHttpClient();
        String list = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/list"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        String pageWs = null;
        for (JsonNode t : Api.JSON.readTree(list)) {
            if ("page".equals(t.path("type").asText())) {
                pageWs = t.get("webSocketDebuggerUrl").asText();
            }
        }
        if (pageWs == null) {
            p.destroyForcibly();
            throw new AssertionError("chromium has no page: " + list);
        }
        var holder = new CompletableFuture<Chromium>();
        var listener = new Listener(holder);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageWs), listener).get(10, TimeUnit.SECONDS);
        Chromium c = new Chromium(p, ws);
        holder.complete(c);
        return c;
    }

    private static void drain(BufferedReader err) {
        try (err) {
            while (err.readLine() != null) {
                // chromium's own chatter
            }
        } catch (IOException e) {
            // ended
        }
    }

    /** Where DevTools events go (e.g. {@code Page.javascriptDialogOpening}). */
    void onEvent(Consumer<JsonNode> listener) {
        this.events = listener;
    }

    /** Sends a command and waits for its result; an error answer fails. */
    JsonNode call(String method, Map<String, ?> params) throws Exception {
        long id = ids.incrementAndGet();
        ObjectNode msg = Api.JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", Api.JSON.valueToTree(params));
        var answer = new CompletableFuture<JsonNode>();
        pending.put(id, answer);
        queue(Api.JSON.writeValueAsString(msg)).get(10, TimeUnit.SECONDS);
        JsonNode r = answer.get(30, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new AssertionError(method + " failed: " + r.get("error"));
        }
        return r.get("result");
    }

    /** Sends a command without waiting (from the event listener's thread). */
    void send(String method, Map<String, ?> params) {
        ObjectNode msg = Api.JSON.createObjectNode().put("id", ids.incrementAndGet()).put("method", method);
        msg.set("params", Api.JSON.valueToTree(params));
        try {
            queue(Api.JSON.writeValueAsString(msg));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Sends after every earlier message: a prompt and the confirmation after it are answered from
     * the listener's thread in quick succession, and a second concurrent send would be refused.
     */
    private synchronized CompletableFuture<?> queue(String text) {
        lastSend = lastSend.handle((ok, failed) -> null).thenCompose(x -> socket.sendText(text, true));
        return lastSend;
    }

    /** The value of a JavaScript expression in the page (awaited if a promise), as JSON. */
    JsonNode eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true,
                "awaitPromise", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError(expression + " threw " + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    private void dispatch(String text) {
        try {
            JsonNode m = Api.JSON.readTree(text);
            if (m.has("id")) {
                var f = pending.remove(m.get("id").asLong());
                if (f != null) {
                    f.complete(m);
                }
            } else {
                events.accept(m);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        socket.abort();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Reassembles text frames into messages and hands them to the browser object. */
    private static final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Chromium> owner;
        private final StringBuilder partial = new StringBuilder();

        Listener(CompletableFuture<Chromium> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                owner.thenAccept(c -> c.dispatch(text));
            }
            ws.request(1);
            return null;
        }
    }
}
