package dev.orchestrator.node;

import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogListener;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.Protocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * The server's side of an agent's followed log stream: one virtual thread reads the agent's
 * newline-delimited JSON and hands each line to the listener. When the stream breaks (the agent
 * restarts, the network fails) it says so as a notice and connects again after
 * {@link #RETRY}, resuming after the last line it received, until closed. No line is read twice
 * and none is polled for: the agent pushes them.
 */
final class LogStreamIn implements AutoCloseable {
    static final Duration RETRY = Duration.ofSeconds(2);
    private static final String CAUGHT_UP = new String(Protocol.write(new Protocol.LogMark(true)),
            StandardCharsets.UTF_8);
    /** Longer than the agent's keep-alive: silence beyond it means the agent is gone. */
    static final Duration SILENCE = LogStreamOut.KEEP_ALIVE.multipliedBy(2);
    private final HttpClient http;
    private final String url;
    private final Supplier<String> serverKey;
    private final LogQuery query;
    private final LogListener listener;
    private volatile boolean closed;
    private volatile InputStream body;
    private volatile Thread thread;
    private volatile long heard = System.nanoTime(); // when the stream last said anything
    private Instant last; // on the reader thread only
    private boolean connected; // on the reader thread only

    LogStreamIn(HttpClient http, String url, Supplier<String> serverKey, LogQuery query, LogListener listener) {
        this.http = http;
        this.url = url;
        this.serverKey = serverKey;
        this.query = query;
        this.listener = listener;
        this.last = query.since();
    }

    void start() {
        thread = Thread.ofVirtual().name("log-stream-" + url).start(this::run);
        Thread.ofVirtual().name("log-stream-watch-" + url).start(this::watch);
    }

    /**
     * Closes a stream that has been silent past {@link #SILENCE}: an agent whose host vanished
     * sends no FIN, and the reader would wait forever.
     */
    private void watch() {
        while (!closed) {
            try {
                Thread.sleep(SILENCE.dividedBy(4));
            } catch (InterruptedException e) {
                return;
            }
            InputStream b = body;
            Thread reader = thread;
            if (b != null && System.nanoTime() - heard > SILENCE.toNanos()) {
                heard = System.nanoTime();
                quietly(b);
                reader.interrupt(); // a read blocked on the closed body may not see the close
            }
        }
    }

    private void run() {
        boolean lost = false;
        while (!closed) {
            String why;
            try {
                read(lost);
                why = "ended";
            } catch (IOException e) {
                why = "lost (" + e.getMessage() + ")";
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
                why = "silent for " + SILENCE.toSeconds() + "s";
            } catch (RuntimeException e) {
                why = "failed (" + e.getMessage() + ")";
            }
            body = null;
            if (!closed && (!lost || connected)) {
                // Once per loss, not once per attempt.
                listener.notice("log stream " + why + "; reconnecting every " + RETRY.toSeconds() + "s");
            }
            connected = false;
            lost = true;
            if (!closed) {
                Thread.interrupted(); // the watch's, for a silent stream: the retry still waits
            }
            try {
                Thread.sleep(RETRY);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void read(boolean reconnected) throws IOException, InterruptedException {
        LogQuery q = last == null ? query : query.after(last.plusNanos(1));
        var req = HttpRequest.newBuilder(URI.create(url + Protocol.FOLLOW_LOGS_PATH + HttpNodeLink.logQuery(q)))
                .timeout(Duration.ofSeconds(5)).header("Authorization", "Bearer " + serverKey.get()).GET().build();
        HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        body = res.body();
        if (res.statusCode() != 200) {
            res.body().close();
            throw new IOException("HTTP " + res.statusCode());
        }
        heard = System.nanoTime();
        connected = true;
        if (reconnected) {
            listener.notice("log stream re-established");
        }
        try (var in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            for (String text = in.readLine(); text != null && !closed; text = in.readLine()) {
                heard = System.nanoTime();
                if (text.isBlank()) {
                    continue; // keep-alive
                }
                byte[] json = text.getBytes(StandardCharsets.UTF_8);
                if (text.startsWith("{\"notice\"")) {
                    listener.notice(Protocol.read(json, Protocol.LogNotice.class).notice());
                } else if (text.equals(CAUGHT_UP)) {
                    listener.caughtUp();
                } else {
                    LogEntry e = Protocol.read(json, LogEntry.class);
                    last = e.instant();
                    listener.line(e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        InputStream b = body;
        if (b != null) {
            quietly(b);
        }
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
    }

    private static void quietly(InputStream b) {
        try {
            b.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
