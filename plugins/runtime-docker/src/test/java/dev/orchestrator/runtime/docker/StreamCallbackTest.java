package dev.orchestrator.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StreamCallbackTest {
    private final AtomicInteger ends = new AtomicInteger();
    private final StreamCallback<String> callback = new StreamCallback<>() {
        @Override
        public void onNext(String item) {
        }

        @Override
        void ended(Throwable failure) {
            ends.incrementAndGet();
        }
    };

    @Test
    void aCloseThatRacesAheadOfTheResponseStillClosesTheStream() throws Exception {
        callback.close();
        AtomicBoolean streamClosed = new AtomicBoolean();

        callback.onStart(() -> streamClosed.set(true));

        assertTrue(streamClosed.get());
        assertTrue(callback.await(Duration.ZERO));
    }

    @Test
    void closingOnPurposeIsNotAnError() throws Exception {
        AtomicBoolean streamClosed = new AtomicBoolean();
        callback.onStart(() -> streamClosed.set(true));

        callback.close();
        callback.onError(new IOException("stream closed"));

        assertTrue(streamClosed.get());
        assertNull(callback.error());
        assertEquals(1, ends.get());
    }

    @Test
    void aStreamErrorIsKeptAndEndsTheWaitOnce() throws Exception {
        IOException broken = new IOException("reset");
        callback.onStart(() -> { });
        assertFalse(callback.await(Duration.ofMillis(10)));

        callback.onError(broken);
        callback.onComplete();
        callback.close();

        assertTrue(callback.await(Duration.ZERO));
        assertSame(broken, callback.error());
        assertEquals(1, ends.get());
    }
}
