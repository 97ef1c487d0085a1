package dev.orchestrator.server;

import dev.orchestrator.api.spi.EventSink;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Says that a node's request was refused (a wrong or revoked join token), at most once a minute
 * per claimed node and address, so a misconfigured agent does not flood the event log.
 * Thread-safe.
 */
final class Refusals {
    private static final int LIMIT = 10_000;
    private final EventSink events;
    private final Clock clock;
    private final Map<String, Instant> said = new ConcurrentHashMap<>();

    Refusals(EventSink events, Clock clock) {
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param claimedNode the node name the request claimed, possibly null
     * @param remote      where it came from
     */
    void refused(String claimedNode, String remote) {
        String key = claimedNode + "@" + remote;
        Instant now = clock.instant();
        Instant last = said.get(key);
        if (last == null || Duration.between(last, now).toSeconds() >= 60) {
            if (said.size() >= LIMIT) {
                said.values().removeIf(t -> Duration.between(t, now).toSeconds() >= 60);
            }
            said.put(key, now);
            events.emit("auth", null, null, "Refused node " + (claimedNode == null ? "(unnamed)" : claimedNode)
                    + " from " + remote + ": invalid or revoked join token");
        }
    }
}
