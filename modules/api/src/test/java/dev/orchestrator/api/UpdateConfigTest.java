package dev.orchestrator.api;

import static dev.orchestrator.api.Invalid.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateConfigTest {
    @Test
    void nullsTakeTheDefaults() {
        UpdateConfig d = UpdateConfig.DEFAULT;
        assertEquals(1, d.effectiveParallelism());
        assertEquals(Duration.ZERO, d.effectiveDelay());
        assertEquals("start-first", d.effectiveOrder());
        assertFalse(d.stopFirst());
        assertEquals(Duration.ofSeconds(5), d.effectiveMonitor());
        assertEquals("rollback", d.effectiveFailureAction());
        assertEquals(0, d.effectiveMaxFailureRatio());
        assertTrue(d.isDefault());
    }

    @Test
    void wordsAreNormalised() {
        UpdateConfig u = new UpdateConfig(3, Duration.ofSeconds(2), " Stop-First", null, "PAUSE", 0.5);
        assertTrue(u.stopFirst());
        assertEquals("pause", u.effectiveFailureAction());
        assertFalse(u.isDefault());
    }

    @Test
    void outOfRangeValuesAreRefusedNamingTheField() {
        assertInvalid(() -> new UpdateConfig(0, null, null, null, null, null), "update.parallelism");
        assertInvalid(() -> new UpdateConfig(null, Duration.ofSeconds(-1), null, null, null, null), "update.delay");
        assertInvalid(() -> new UpdateConfig(null, null, null, Duration.ofHours(2), null, null), "update.monitor");
        assertInvalid(() -> new UpdateConfig(null, null, "sideways", null, null, null), "update.order", "sideways");
        assertInvalid(() -> new UpdateConfig(null, null, null, null, "retry", null), "update.failure_action");
        assertInvalid(() -> new UpdateConfig(null, null, null, null, null, 1.5), "update.max_failure_ratio");
        assertInvalid(() -> new UpdateConfig(null, null, null, null, null, Double.NaN), "update.max_failure_ratio");
    }

    @Test
    void aSpecStoresDefaultSettingsAsNone() {
        var spec = new ServiceSpec("web", "img:1", 1, List.of(), null, null, null, null, null, null, null)
                .withUpdate(new UpdateConfig(null, null, null, null, null, null));
        assertNull(spec.update());
        assertEquals(UpdateConfig.DEFAULT, spec.effectiveUpdate());
        assertEquals(4, spec.withUpdate(new UpdateConfig(4, null, null, null, null, null)).effectiveUpdate()
                .effectiveParallelism());
    }
}
