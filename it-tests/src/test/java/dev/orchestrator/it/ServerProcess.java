package dev.orchestrator.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code bin/orchestrator server} of the built image, run as a child process on an ephemeral port. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on https?://[^:]+:(\\d+)");
    private final Process process;
    private final int port;
    private final List<String> output = new ArrayList<>();

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts the server and waits (at most 60 s) for its "listening" line.
     *
     * @param dataDir  the state directory
     * @param password the admin password
     * @return the running server
     */
    static ServerProcess start(Path dataDir, String password) throws IOException {
        return start(dataDir, Map.of("ORCHESTRATOR_ADMIN_PASSWORD", password));
    }

    /**
     * Starts the server with the environment and extra arguments given.
     *
     * @param dataDir the state directory
     * @param env     environment variables (the admin password, or none)
     * @param extra   more arguments of {@code server}
     * @return the running server
     */
    static ServerProcess start(Path dataDir, Map<String, String> env, String... extra) throws IOException {
        var args = new ArrayList<>(List.of("server", "--bind", "127.0.0.1", "--port", "0", "--data-dir",
                dataDir.toString(), "--plugins-dir", dataDir.resolve("plugins").toString(), "--node-name", "node-1"));
        args.addAll(List.of(extra));
        Process p = Image.start(env, args.toArray(String[]::new));
        var reader = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = new CompletableFuture<>();
        var lines = new ArrayList<String>();
        Thread.ofVirtual().start(() -> {
            try {
                for (String line; (line = reader.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new IllegalStateException("server exited: " + lines));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        Thread.ofVirtual().start(() -> drain(p));
        // A failed test must not leave its server running after the test JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(p::destroy));
        try {
            ServerProcess s = new ServerProcess(p, port.get(60, TimeUnit.SECONDS));
            s.output.addAll(lines);
            return s;
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("server did not start: " + e.getMessage(), e);
        }
    }

    private static void drain(Process p) {
        try {
            p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the process ended
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    /** Stops with SIGTERM and waits; returns the exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return process.waitFor();
    }

    /** Kills with SIGKILL (no shutdown of any kind) and waits; returns the exit status. */
    int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stop();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
