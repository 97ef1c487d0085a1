package dev.orchestrator.node;

import dev.orchestrator.cluster.Protocol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The host's load and free memory from {@code /proc} (Linux); -1 where unreadable. */
final class HostUsage {
    private HostUsage() {
    }

    static Protocol.Usage read(int containers) {
        return new Protocol.Usage(containers, load1(), memAvailable());
    }

    private static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static long memAvailable() {
        try (var lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemAvailable:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(-1L);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
