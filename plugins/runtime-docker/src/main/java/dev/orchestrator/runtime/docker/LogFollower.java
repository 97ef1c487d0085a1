package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.orchestrator.api.spi.LogLine;
import java.util.function.Consumer;

/**
 * Reads one container's log stream, handing each completed line to a sink on docker-java's
 * reader thread (one per followed container, none per line); an unterminated last line when the
 * stream ends. Serves a follow and a finite read alike.
 */
final class LogFollower extends StreamCallback<Frame> {
    private final LogLineSplitter splitter; // guarded by this
    private final Consumer<Throwable> ended;

    LogFollower(Consumer<LogLine> sink, Consumer<Throwable> ended) {
        this.splitter = new LogLineSplitter(sink);
        this.ended = ended;
    }

    @Override
    public void onNext(Frame frame) {
        if (frame.getPayload() == null) {
            return;
        }
        // A TTY container's output comes as RAW: it is all stdout.
        String stream = frame.getStreamType() == StreamType.STDERR ? "stderr" : "stdout";
        synchronized (this) {
            splitter.accept(stream, frame.getPayload());
        }
    }

    @Override
    void ended(Throwable failure) {
        synchronized (this) {
            splitter.finish();
        }
        ended.accept(failure);
    }
}
