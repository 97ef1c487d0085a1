package dev.orchestrator.node;

import dev.orchestrator.cluster.LogEntry;
import dev.orchestrator.cluster.LogListener;
import dev.orchestrator.cluster.LogQuery;
import dev.orchestrator.cluster.NodeLink;
import dev.orchestrator.cluster.Protocol;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The agent's side of a followed log stream ({@link Protocol#FOLLOW_LOGS_PATH}): each line as one
 * JSON object and a newline, flushed at once, over a chunked response; an empty line every
 * {@link #KEEP_ALIVE} finds a server that went away. Lines are written on the node's follower
 * thread (a slow server holds that follower alone, whose bounded queue then drops lines); the
 * request's thread only waits and keeps alive.
 */
final class LogStreamOut {
    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private LogStreamOut() {
    }

    static void follow(ServerResponse res, NodeLink link, LogQuery query) {
        res.header(HeaderNames.CONTENT_TYPE, "application/x-ndjson");
        CountDownLatch gone = new CountDownLatch(1);
        try (OutputStream out = res.outputStream()) {
            Object lock = new Object();
            LogListener writer = new LogListener() {
                @Override
                public void line(LogEntry entry) {
                    write(Protocol.write(entry));
                }

                @Override
                public void caughtUp() {
                    write(Protocol.write(new Protocol.LogMark(true)));
                }

                @Override
                public void notice(String message) {
                    write(Protocol.write(new Protocol.LogNotice(message)));
                }

                private void write(byte[] json) {
                    synchronized (lock) {
                        try {
                            out.write(json);
                            out.write('\n');
                            out.flush();
                        } catch (IOException | UncheckedIOException e) {
                            gone.countDown();
                            throw new UncheckedIOException(new IOException("the server went away", e));
                        }
                    }
                }
            };
            synchronized (lock) {
                out.write('\n'); // headers out now
                out.flush();
            }
            AutoCloseable sub = link.followLogs(query, writer);
            try {
                while (!gone.await(KEEP_ALIVE.toMillis(), TimeUnit.MILLISECONDS)) {
                    synchronized (lock) {
                        out.write('\n');
                        out.flush();
                    }
                }
            } finally {
                sub.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // the server went away: the stream ends
        }
    }
}
