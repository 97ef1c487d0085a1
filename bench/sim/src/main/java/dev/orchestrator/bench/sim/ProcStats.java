package dev.orchestrator.bench.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and RSS of a Linux process, from {@code /proc}. */
final class ProcStats {
    /** Clock ticks per second of utime and stime ({@code getconf CLK_TCK}; 100 on Linux/x86-64). */
    private static final int TICKS = 100;

    private final long pid;

    ProcStats(long pid) {
        this.pid = pid;
    }

    /** @return utime + stime in milliseconds */
    long cpuMillis() {
        String stat = read("stat");
        // Fields after the command name, which is in parentheses and may contain spaces.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of stat
        return ticks * 1000 / TICKS;
    }

    /** @return VmRSS in MiB */
    long rssMiB() {
        for (String line : read("status").split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    private String read(String file) {
        try {
            return Files.readString(Path.of("/proc", pid == 0 ? "self" : Long.toString(pid), file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
