package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A docker-java stream callback that can be closed at any time without leaking the stream.
 *
 * <p>Used instead of docker-java's {@code ResultCallback.Adapter} for two reasons: the adapter's
 * {@code onStart} clears its closed flag, so a {@link #close()} that races ahead of the response
 * leaves the stream (and docker-java's reader thread) running; and it logs every stream error at
 * ERROR level, including the ones caused by closing it on purpose.
 *
 * <p>docker-java calls {@code onStart}, {@code onNext}, then {@code onComplete} or {@code onError}
 * from its own reader thread; closing the stream aborts the request, which ends that thread.
 *
 * @param <T> the item type
 */
abstract class StreamCallback<T> implements ResultCallback<T> {
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicBoolean ended = new AtomicBoolean();
    private Closeable stream; // guarded by this
    private boolean closed; // guarded by this
    private volatile Throwable error;

    @Override
    public final void onStart(Closeable stream) {
        boolean late;
        synchronized (this) {
            late = closed;
            if (!late) {
                this.stream = stream;
            }
        }
        if (late) {
            closeQuietly(stream);
        } else {
            started();
        }
    }

    @Override
    public final void onError(Throwable throwable) {
        synchronized (this) {
            if (!closed) {
                error = throwable;
            }
        }
        end();
    }

    @Override
    public final void onComplete() {
        end();
    }

    /** Closes the stream; the reader thread ends soon after. Idempotent, never throws. */
    @Override
    public final void close() {
        Closeable s;
        synchronized (this) {
            closed = true;
            s = stream;
            stream = null;
        }
        closeQuietly(s);
        end();
    }

    /**
     * @param timeout the longest wait
     * @return true if the stream ended (completed, failed or closed) in time
     * @throws InterruptedException if interrupted while waiting
     */
    final boolean await(Duration timeout) throws InterruptedException {
        return done.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }

    /** @return the error that ended the stream, null if it completed or was closed */
    final Throwable error() {
        return error;
    }

    /** Called once the daemon has answered and items may follow. */
    void started() {
    }

    /**
     * Called once, when the stream ends for any reason.
     *
     * @param failure the error, or null if it completed or was closed
     */
    void ended(Throwable failure) {
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            ended(error);
            done.countDown();
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException | RuntimeException e) {
            // Closing is best effort: the stream may already be broken, which is why we close it.
        }
    }
}
