package dev.orchestrator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UnschedulableTest {
    @Test
    void formatsCountsByCountThenReason() {
        var u = new Placement.Unschedulable(10, Map.of("cordoned", 3, "insufficient memory", 7));

        assertEquals("0/10 nodes available: 7 insufficient memory, 3 cordoned", u.message());
    }

    @Test
    void equalCountsAreOrderedByReason() {
        var u = new Placement.Unschedulable(6, Map.of("down", 2, "cordoned", 2, "insufficient cpu", 2));

        assertEquals("0/6 nodes available: 2 cordoned, 2 down, 2 insufficient cpu", u.message());
        assertEquals(List.of("cordoned", "down", "insufficient cpu"), List.copyOf(u.reasons().keySet()));
    }

    @Test
    void noNodesAtAll() {
        assertEquals("0/0 nodes available", new Placement.Unschedulable(0, Map.of()).message());
    }
}
