package dev.orchestrator.api;

import static dev.orchestrator.api.Invalid.assertInvalidMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact constructor of {@link Resources}: zero is "not set", else Docker's bounds. */
class ResourcesTest {
    private static final long MIB = 1L << 20;

    @Test
    void noneIsZeroZero() {
        assertEquals(new Resources(0, 0), Resources.NONE);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 2, 3, 1024, 262_144})
    void cpuSharesAccepted(long shares) {
        assertEquals(shares, new Resources(shares, 0).cpuShares());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, -1, 262_145, Long.MAX_VALUE})
    void cpuSharesRefused(long shares) {
        assertInvalidMessage("resources.cpu_shares must be in 2..262144, got " + shares,
                () -> new Resources(shares, 0));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 6 * MIB, 6 * MIB + 1, 512 * MIB, MIB << 20})
    void memoryAccepted(long bytes) {
        assertEquals(bytes, new Resources(0, bytes).memoryBytes());
    }

    /** The message speaks MiB, as the API does; the bounds are docs/api.md's 6..1048576. */
    @ParameterizedTest
    @CsvSource({
            "5242880, 5",        // 5 MiB
            "6291455, 5",        // one byte short of 6 MiB
            "1, 0",
            "-1, -1",
            "-6291456, -6",
            "1099512676352, 1048577"}) // 1 TiB + 1 MiB
    void memoryRefused(long bytes, long mib) {
        assertInvalidMessage("resources.memory_mb must be in 6..1048576, got " + mib, () -> new Resources(0, bytes));
    }
}
