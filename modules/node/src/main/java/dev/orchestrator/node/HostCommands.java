package dev.orchestrator.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's network tools ({@code ip} from iproute2, {@code iptables}) as argv arrays,
 * no shell. Blocking; thread-safe.
 */
class HostCommands {
    private static final long TIMEOUT_SECONDS = 10;
    private static final java.util.concurrent.Executor READERS = Thread::startVirtualThread;

    /**
     * The outcome of one command.
     *
     * @param exit   its exit status, -1 if it could not run or timed out
     * @param output stdout and stderr together
     */
    record Result(int exit, String output) {
        boolean ok() {
            return exit == 0;
        }
    }

    /**
     * @param argv  the command
     * @param input what to write to its stdin, or null
     * @return how it ended; never throws
     */
    Result run(List<String> argv, String input) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            // Read on the side: a tool that hangs (a held lock) must not hang the caller.
            var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            }, READERS);
            if (input != null) {
                p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
            }
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, String.join(" ", argv) + ": timed out");
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8).trim());
        } catch (IOException e) {
            return new Result(-1, String.join(" ", argv) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, String.join(" ", argv) + ": interrupted");
        }
    }

    Result run(String... argv) {
        return run(List.of(argv), null);
    }

    Result run(List<String> argv) {
        return run(argv, null);
    }
}
