package dev.orchestrator.cluster;

import java.time.Instant;

/**
 * One captured line of a replica's output, as nodes keep it, send it to the server, and as the
 * API streams it ({@code GET /api/services/{name}/logs?follow=true}: one SSE event each).
 *
 * @param time    when the runtime received it, ISO-8601
 * @param replica the replica, e.g. {@code api-server-1}
 * @param node    the node that ran it
 * @param stream  {@code stdout} or {@code stderr}
 * @param line    the text, without its newline
 */
public record LogEntry(String time, String replica, String node, String stream, String line) {
    /** @return {@link #time} as an instant (the epoch if it is missing or unreadable) */
    public Instant instant() {
        try {
            return time == null ? Instant.EPOCH : Instant.parse(time);
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
