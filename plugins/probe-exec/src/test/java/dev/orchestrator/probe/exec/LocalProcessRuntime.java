package dev.orchestrator.probe.exec;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ExecResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A test runtime whose one "container" is this machine: {@link #exec} runs the argv as a local
 * process (no shell), waits up to the timeout and kills it after. Any other container id is
 * missing. Records every argv it was given. Thread-safe.
 */
final class LocalProcessRuntime extends ExecOnlyRuntime {
    static final String CONTAINER = "c0ffee";
    private static final int MAX_OUTPUT = 4096;

    final Queue<List<String>> argvs = new ConcurrentLinkedQueue<>();

    @Override
    public ExecResult exec(String id, List<String> argv, Duration timeout) {
        if (!CONTAINER.equals(id)) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "no such container: " + id);
        }
        argvs.add(List.copyOf(argv));
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new ExecResult(127, argv.getFirst() + ": not found", false); // what a shell would say
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                return new ExecResult(-1, "", true);
            }
            return new ExecResult(process.exitValue(), output(process), false);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "interrupted while running " + argv.getFirst());
        }
    }

    /** Reads what the ended process wrote; tests write little, so it all fits the pipe. */
    private static String output(Process process) {
        try (InputStream in = process.getInputStream()) {
            return new String(in.readNBytes(MAX_OUTPUT), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
