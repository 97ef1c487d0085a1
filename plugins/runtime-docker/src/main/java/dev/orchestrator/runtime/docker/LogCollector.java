package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.orchestrator.api.spi.LogLine;
import java.util.List;

/** Reads a finite log stream into lines. */
final class LogCollector extends StreamCallback<Frame> {
    private final LogLineSplitter splitter = new LogLineSplitter(); // guarded by this

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

    /** @return the lines read; call once the stream has ended */
    synchronized List<LogLine> lines() {
        return splitter.finish();
    }
}
