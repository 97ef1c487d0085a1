package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Join tokens found valid are trusted for a while; wrong ones are looked up every time. */
class VerifiedTokensTest {
    @Test
    void aValidTokenIsLookedUpOnceWithinItsTime() {
        var lookUps = new AtomicInteger();
        var tokens = new VerifiedTokens(Duration.ofMinutes(1));
        for (int i = 0; i < 5; i++) {
            assertTrue(tokens.valid("orc1.a.b", () -> lookUps.incrementAndGet() > 0));
        }
        assertEquals(1, lookUps.get());
    }

    @Test
    void aWrongTokenIsLookedUpEveryTimeAndNeverTrusted() {
        var lookUps = new AtomicInteger();
        var tokens = new VerifiedTokens(Duration.ofMinutes(1));
        for (int i = 0; i < 3; i++) {
            assertFalse(tokens.valid("wrong", () -> lookUps.incrementAndGet() < 0));
        }
        assertEquals(3, lookUps.get());
    }

    @Test
    void aRevokedTokenIsRefusedOnceItsTimeIsUp() throws Exception {
        var tokens = new VerifiedTokens(Duration.ofMillis(20));
        assertTrue(tokens.valid("t", () -> true));
        Thread.sleep(40);
        assertFalse(tokens.valid("t", () -> false), "revoked: the look-up says no");
        assertFalse(tokens.valid("t", () -> false));
    }

    @Test
    void atMostLimitTokensAreRememberedWhileAllAreValid() {
        var tokens = new VerifiedTokens(Duration.ofMinutes(1));
        for (int i = 0; i < VerifiedTokens.LIMIT + 500; i++) {
            assertTrue(tokens.valid("token-" + i, () -> true));
        }
        assertEquals(VerifiedTokens.LIMIT, tokens.size());
    }
}
