package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A refused node is said at most once a minute per claimed name and address. */
class RefusalsTest {
    @Test
    void saidAtMostOnceAMinutePerNodeAndAddress() {
        var clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<String> said = new ArrayList<>();
        var refusals = new Refusals((type, service, container, message) -> said.add(type + ": " + message), clock);

        refusals.refused("node-9", "10.0.0.9");
        refusals.refused("node-9", "10.0.0.9");
        refusals.refused(null, "10.0.0.9");
        refusals.refused("node-9", "10.0.0.8");
        clock.advance(Duration.ofSeconds(59));
        refusals.refused("node-9", "10.0.0.9");
        clock.advance(Duration.ofSeconds(1));
        refusals.refused("node-9", "10.0.0.9");

        assertEquals(List.of(
                "auth: Refused node node-9 from 10.0.0.9: invalid or revoked join token",
                "auth: Refused node (unnamed) from 10.0.0.9: invalid or revoked join token",
                "auth: Refused node node-9 from 10.0.0.8: invalid or revoked join token",
                "auth: Refused node node-9 from 10.0.0.9: invalid or revoked join token"), said);
    }

    @Test
    void inventedNamesCostAFewEventsAMinuteAndBoundedMemory() {
        var clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
        List<String> said = new ArrayList<>();
        var refusals = new Refusals((type, service, container, message) -> said.add(message), clock);

        for (int i = 0; i < 100_000; i++) {
            refusals.refused("invented-" + i, "10.0.0." + (i % 250));
        }

        assertEquals(Refusals.PER_MINUTE, said.size(), "one event per invented name: " + said.size());
        assertTrue(refusals.tracked() <= Refusals.TRACKED, "names remembered: " + refusals.tracked());

        clock.advance(Duration.ofMinutes(1));
        refusals.refused("node-9", "10.0.0.9");
        assertEquals(Refusals.PER_MINUTE + 2, said.size());
        assertEquals((100_000 - Refusals.PER_MINUTE) + " more refused node requests (invalid or revoked join token)"
                + " in the minute from 2026-01-01T00:00:00Z were not recorded one by one",
                said.get(Refusals.PER_MINUTE));
        assertEquals("Refused node node-9 from 10.0.0.9: invalid or revoked join token", said.getLast());
    }
}
