package dev.orchestrator.server;

import dev.orchestrator.api.spi.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Says that a node's request was refused (a wrong or revoked join token), at most once a minute
 * per claimed node and address, and at most {@link #PER_MINUTE} times a minute in all: the
 * claimed name and the address are the client's to invent, so neither the event log nor this
 * class's memory grows with them. Refusals past the minute's budget are counted and said as one
 * event with the next refusal after the minute. At most {@link #TRACKED} names are remembered
 * (the oldest go first). Thread-safe.
 */
final class Refusals {
    /** Names and addresses remembered. */
    static final int TRACKED = 1024;
    /** Refusal events a minute, in all. */
    static final int PER_MINUTE = 20;
    private static final Duration MINUTE = Duration.ofMinutes(1);

    private final EventSink events;
    private final Clock clock;
    /** When each claimed node and address was last said, oldest first. */
    private final Map<String, Instant> said = new LinkedHashMap<>();
    private Instant windowStart = Instant.MIN;
    private int saidInWindow;
    private long unsaid;

    Refusals(EventSink events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param claimedNode the node name the request claimed, possibly null
     * @param remote      where it came from
     */
    void refused(String claimedNode, String remote) {
        String message;
        String summary = null;
        synchronized (this) {
            Instant now = clock.instant();
            if (!now.isBefore(windowStart.plus(MINUTE))) {
                if (unsaid > 0) {
                    summary = unsaid + " more refused node requests (invalid or revoked join token) in the minute"
                            + " from " + windowStart + " were not recorded one by one";
                }
                windowStart = now;
                saidInWindow = summary == null ? 0 : 1;
                unsaid = 0;
            }
            String key = claimedNode + "@" + remote;
            Instant last = said.get(key);
            if (last != null && Duration.between(last, now).compareTo(MINUTE) < 0) {
                message = null;
            } else if (saidInWindow >= PER_MINUTE) {
                unsaid++;
                message = null;
            } else {
                said.remove(key);
                said.put(key, now); // newest last
                while (said.size() > TRACKED) {
                    said.remove(said.keySet().iterator().next());
                }
                saidInWindow++;
                message = "Refused node " + (claimedNode == null ? "(unnamed)" : claimedNode) + " from " + remote
                        + ": invalid or revoked join token";
            }
        }
        if (summary != null) {
            events.emit("auth", null, null, summary);
        }
        if (message != null) {
            events.emit("auth", null, null, message);
        }
    }

    /** @return the names and addresses remembered */
    synchronized int tracked() {
        return said.size();
    }
}
