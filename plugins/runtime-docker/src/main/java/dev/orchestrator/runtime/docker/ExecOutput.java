package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.model.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Collects an exec's stdout and stderr, interleaved, keeping at most a fixed number of bytes. */
final class ExecOutput extends StreamCallback<Frame> {
    private final int limit;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // guarded by this

    /** @param limit the most bytes kept; later output is read and dropped, so the exec is not blocked */
    ExecOutput(int limit) {
        this.limit = limit;
    }

    @Override
    public void onNext(Frame frame) {
        byte[] payload = frame.getPayload();
        if (payload == null) {
            return;
        }
        synchronized (this) {
            int room = limit - bytes.size();
            if (room > 0) {
                bytes.write(payload, 0, Math.min(room, payload.length));
            }
        }
    }

    /** @return the output so far, as UTF-8 (a character cut by the limit becomes U+FFFD) */
    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
