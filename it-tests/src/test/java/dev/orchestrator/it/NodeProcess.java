package dev.orchestrator.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A long-running {@code bin/orchestrator} process of the built image (a server or an agent) whose
 * stdout and stderr are both kept: the last lines in memory for failure messages, all of them in
 * a log file for a post-mortem. Every process started here is killed when the test JVM exits, so
 * a failed or aborted test leaves no orphan behind.
 */
final class NodeProcess implements AutoCloseable {
    private static final int TAIL = 400;
    private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ALL.forEach(Process::destroyForcibly)));
    }

    private final String name;
    private final Process process;
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private final Writer log;
    private final Pattern ready;
    private final CompletableFuture<Matcher> readyLine = new CompletableFuture<>();

    private NodeProcess(String name, Process process, Path logFile, Pattern ready) throws IOException {
        this.name = name;
        this.process = process;
        this.ready = ready;
        Files.createDirectories(logFile.getParent());
        this.log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        line("---- started pid " + process.pid() + ": " + process.info().commandLine().orElse("?"));
        Thread.ofVirtual().name(name + "-stdout").start(() -> pump(process.getInputStream(), ""));
        Thread.ofVirtual().name(name + "-stderr").start(() -> pump(process.getErrorStream(), "E "));
        process.onExit().thenRun(() -> {
            line("---- exited with status " + process.exitValue());
            readyLine.completeExceptionally(new IllegalStateException(name + " exited with status "
                    + process.exitValue() + " before printing /" + ready + "/:\n" + tail(60)));
        });
    }

    /**
     * Starts the launcher and waits for a line matching {@code ready}.
     *
     * @param name    a short name for messages and the log file ({@code server}, {@code node-1})
     * @param logFile where all output goes (appended)
     * @param env     extra environment variables
     * @param ready   the line that says it is up
     * @param timeout how long to wait for it
     * @param args    the launcher's arguments
     * @return the running process
     */
    static NodeProcess start(String name, Path logFile, Map<String, String> env, Pattern ready, Duration timeout,
                             List<String> args) throws IOException {
        return start(List.of(), name, logFile, env, ready, timeout, args);
    }

    /**
     * As {@link #start(String, Path, Map, Pattern, Duration, List)}, through a wrapper command.
     *
     * @param wrapper the wrapper's argv (it must exec the launcher, so signals reach it)
     * @param name    a short name
     * @param logFile where output goes
     * @param env     extra environment variables
     * @param ready   the line that says it is up
     * @param timeout how long to wait for it
     * @param args    the launcher's arguments
     * @return the running process
     */
    static NodeProcess start(List<String> wrapper, String name, Path logFile, Map<String, String> env, Pattern ready,
                             Duration timeout, List<String> args) throws IOException {
        Process p = Image.startWrapped(wrapper, env, args.toArray(String[]::new));
        ALL.add(p);
        p.getOutputStream().close();
        var np = new NodeProcess(name, p, logFile, ready);
        try {
            np.readyLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return np;
        } catch (Exception e) {
            np.kill();
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new IllegalStateException(name + " did not start within " + timeout + ": " + cause.getMessage()
                    + "\n" + np.tail(60), e);
        }
    }

    /** @return the first ready line's match */
    Matcher readyMatch() {
        return readyLine.join();
    }

    private void pump(InputStream in, String prefix) {
        try (var r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                line(prefix + l);
                Matcher m = ready.matcher(l);
                if (!readyLine.isDone() && m.find()) {
                    readyLine.complete(m);
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private synchronized void line(String l) {
        String stamped = LocalTime.now() + " " + l;
        tail.addLast(stamped);
        while (tail.size() > TAIL) {
            tail.removeFirst();
        }
        try {
            log.write(stamped);
            log.write('\n');
            log.flush();
        } catch (IOException e) {
            // diagnostics only
        }
    }

    /**
     * @param lines how many
     * @return the last lines of output, both streams (stderr lines start with "E ")
     */
    synchronized String tail(int lines) {
        var all = List.copyOf(tail);
        var sb = new StringBuilder();
        sb.append("---- ").append(name).append(" (pid ").append(process.pid()).append(", ")
                .append(process.isAlive() ? "running" : "exited " + process.exitValue()).append("), last ")
                .append(Math.min(lines, all.size())).append(" lines:\n");
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(l -> sb.append("  ").append(l).append('\n'));
        return sb.toString();
    }

    String name() {
        return name;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** @return the launcher's process id (the launcher execs the JVM, so it is the JVM's) */
    long pid() {
        return process.pid();
    }

    /**
     * Sends a signal with {@code kill(1)}: Java has none for SIGSTOP and SIGCONT.
     *
     * @param signal its name, e.g. {@code STOP}
     */
    void signal(String signal) {
        try {
            Process k = new ProcessBuilder("kill", "-s", signal, String.valueOf(process.pid())).inheritIO().start();
            if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
                throw new IllegalStateException("kill -s " + signal + " " + process.pid() + " failed");
            }
            line("---- sent SIG" + signal);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as a crashed machine: waits until the process is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException(name + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        ALL.remove(process);
    }

    /**
     * SIGTERM, then SIGKILL after 20 s.
     *
     * @return the exit status
     */
    int stop() {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                line("---- did not stop within 20 s of SIGTERM: killing it");
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
            ALL.remove(process);
            return process.exitValue();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
        try {
            synchronized (this) {
                log.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
