package dev.orchestrator.runtime.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Ends the process of an exec that ran past its timeout. Docker's API has no call to kill an
 * exec (moby#9098): left alone, a health command that hangs stays in the container, one more
 * process per probe interval. The exec's process id, as Docker reports it, is a process of this
 * host when the engine runs here, so it is killed from here, with its children; but only after
 * {@code /proc/PID/cgroup} shows it belongs to that container, so a reused or foreign process
 * id (an engine on another host or in another pid namespace) is never touched.
 *
 * <p>Stateless and thread-safe. Blocking only on reads of {@code /proc}.
 */
final class ExecKiller {
    private ExecKiller() {
    }

    /**
     * @param containerId the container's full id
     * @param pid         the exec's process id as the engine reported it
     * @return true if the process was found in that container and told to die
     */
    static boolean kill(String containerId, long pid) {
        if (pid <= 0 || containerId == null || containerId.length() < 12 || !inContainer(pid, containerId)) {
            return false;
        }
        return ProcessHandle.of(pid).map(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // sh -c "...": its children too
            return p.destroyForcibly();
        }).orElse(false);
    }

    private static boolean inContainer(long pid, String containerId) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cgroup")).contains(containerId);
        } catch (IOException | RuntimeException e) {
            return false; // gone already, or not a process of this host
        }
    }
}
