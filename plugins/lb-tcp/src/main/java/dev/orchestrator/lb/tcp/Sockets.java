package dev.orchestrator.lb.tcp;

import java.io.Closeable;
import java.io.IOException;

/** Socket odds and ends. */
final class Sockets {
    private Sockets() {
    }

    /** Closes, ignoring failure: used where the socket is being thrown away anyway. */
    static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException ignored) {
            // Nothing to do: the descriptor is released either way.
        }
    }
}
