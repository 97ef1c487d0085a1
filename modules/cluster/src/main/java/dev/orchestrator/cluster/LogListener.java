package dev.orchestrator.cluster;

/**
 * Receives a followed log stream ({@link NodeLink#followLogs}). Calls come from one thread per
 * stream, in order; they must not block for long (a receiver hands lines to its own bounded
 * queue), or the stream's lines back up and are dropped on the node.
 */
public interface LogListener {
    /** @param entry the next line */
    void line(LogEntry entry);

    /**
     * The lines kept before the stream started have all been delivered: what follows is live.
     * Called once per (re-)established stream.
     */
    void caughtUp();

    /**
     * Something the reader should know: lines dropped because it was too slow, the node's
     * stream lost and being re-established.
     *
     * @param message what happened
     */
    void notice(String message);
}
