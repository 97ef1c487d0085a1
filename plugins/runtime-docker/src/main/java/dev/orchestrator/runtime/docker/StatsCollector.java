package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.model.CpuStatsConfig;
import com.github.dockerjava.api.model.MemoryStatsConfig;
import com.github.dockerjava.api.model.Statistics;
import com.github.dockerjava.api.model.StatsConfig;
import dev.orchestrator.api.spi.ContainerStats;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Keeps the one frame of a {@code stats?stream=false} call. */
final class StatsCollector extends StreamCallback<Statistics> {
    private volatile Statistics first;

    @Override
    public void onNext(Statistics frame) {
        if (first == null) {
            first = frame;
        }
    }

    /** @return the sample, empty when Docker had none (a container that does not run reports no CPU) */
    Optional<ContainerStats> sample() {
        return sample(first);
    }

    /**
     * Maps Docker's frame. Memory in use is {@code docker stats}' figure: usage less the
     * inactive page cache (cgroup v1's {@code total_inactive_file}, v2's {@code inactive_file}).
     */
    static Optional<ContainerStats> sample(Statistics s) {
        if (s == null) {
            return Optional.empty();
        }
        CpuStatsConfig cpu = s.getCpuStats();
        MemoryStatsConfig memory = s.getMemoryStats();
        var cpuUsage = cpu == null ? null : cpu.getCpuUsage();
        Long total = cpuUsage == null ? null : cpuUsage.getTotalUsage();
        Long used = memory == null ? null : memory.getUsage();
        if (total == null || used == null) {
            return Optional.empty(); // a stopped container: Docker answers with an empty frame
        }
        long usage = used;
        StatsConfig detail = memory.getStats();
        long inactive = 0;
        if (detail != null) {
            Long v1 = detail.getTotalInactiveFile();
            Long v = v1 != null ? v1 : detail.getInactiveFile();
            inactive = v == null ? 0 : v;
        }
        Long max = memory.getLimit();
        long limit = max == null ? -1 : max;
        return Optional.of(new ContainerStats(readAt(s.getRead()), total,
                Math.max(0, usage - inactive), limit));
    }

    private static Instant readAt(String read) {
        try {
            Instant at = read == null ? null : Instant.parse(read);
            // Docker says 0001-01-01T00:00:00Z for a container it has no sample of.
            return at == null || at.getEpochSecond() <= 0 ? Instant.now() : at;
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
