package dev.orchestrator.api;

/**
 * Resource requests and limits of one replica. Zero means "not set".
 *
 * @param cpuShares   relative CPU weight as Docker understands it (1024 = one CPU's worth), 0 or 2..262144
 * @param memoryBytes hard memory limit in bytes, 0 or 6 MiB (Docker's minimum) to 1 TiB
 */
public record Resources(long cpuShares, long memoryBytes) {
    /** No requests, no limits. */
    public static final Resources NONE = new Resources(0, 0);

    /** Validates both values. */
    public Resources {
        if (cpuShares != 0) {
            Validation.range("resources.cpu_shares", cpuShares, 2, 262_144);
        }
        if (memoryBytes != 0) {
            Validation.range("resources.memory_mb", memoryBytes >> 20, 6, 1L << 20);
        }
    }
}
