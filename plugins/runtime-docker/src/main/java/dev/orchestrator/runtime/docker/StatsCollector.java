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
        if (cpu == null || cpu.getCpuUsage() == null || cpu.getCpuUsage().getTotalUsage() == null
                || memory == null || memory.getUsage() == null) {
            return Optional.empty(); // a stopped container: Docker answers with an empty frame
        }
        long usage = memory.getUsage();
        StatsConfig detail = memory.getStats();
        long inactive = 0;
        if (detail != null) {
            Long v = detail.getTotalInactiveFile() != null ? detail.getTotalInactiveFile() : detail.getInactiveFile();
            inactive = v == null ? 0 : v;
        }
        long limit = memory.getLimit() == null ? -1 : memory.getLimit();
        return Optional.of(new ContainerStats(readAt(s.getRead()), cpu.getCpuUsage().getTotalUsage(),
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
