package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
