package dev.orchestrator.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bin/orchestrator} of the built image as a user would, with no JDK on the PATH. */
final class Image {
    private Image() {
    }

    /** @return the image directory, from the {@code orchestrator.image} system property */
    static Path home() {
        Path home = Path.of(System.getProperty("orchestrator.image", "../distribution/target/orchestrator"));
        if (!Files.isExecutable(home.resolve("bin/orchestrator"))) {
            throw new IllegalStateException("no image at " + home.toAbsolutePath() + ": run 'mvn -B package' first");
        }
        return home.toAbsolutePath().normalize();
    }

    /** @return the launcher */
    static Path launcher() {
        return home().resolve("bin/orchestrator");
    }

    /** Result of a finished command. */
    record Run(int status, String out, String err) {
    }

    /**
     * Runs the launcher to completion (at most 60 s).
     *
     * @param args its arguments
     * @return status and output
     */
    static Run run(String... args) {
        return run(Map.of(), args);
    }

    /**
     * Runs the launcher to completion (at most 60 s) with extra environment variables.
     *
     * @param env  environment variables
     * @param args its arguments
     * @return status and output
     */
    static Run run(Map<String, String> env, String... args) {
        return runWithStdin(env, "", args);
    }

    /**
     * Runs the launcher to completion (at most 60 s) with extra environment variables and a
     * standard input.
     *
     * @param env   environment variables
     * @param stdin what the process reads on its standard input
     * @param args  its arguments
     * @return status and output
     */
    static Run runWithStdin(Map<String, String> env, String stdin, String... args) {
        try {
            Process p = start(env, args);
            try (var in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("orchestrator " + String.join(" ", args) + " did not finish");
            }
            return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts the launcher with a minimal environment: PATH without any JDK and no JAVA_HOME.
     *
     * @param env  extra environment variables
     * @param args its arguments
     * @return the process
     */
    static Process start(Map<String, String> env, String... args) throws IOException {
        return startWrapped(List.of(), env, args);
    }

    /**
     * As {@link #start}, with the launcher run through a wrapper command (e.g. one that enters a
     * network namespace and execs what follows).
     *
     * @param wrapper the wrapper's argv, before the launcher
     * @param env     extra environment variables
     * @param args    the launcher's arguments
     * @return the process
     */
    static Process startWrapped(List<String> wrapper, Map<String, String> env, String... args) throws IOException {
        var cmd = new ArrayList<String>(wrapper);
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        return command(cmd, env).start();
    }

    /**
     * A launcher command (any copy of the image, or a symlink to one) with the same minimal
     * environment as {@link #start}, not yet started.
     *
     * @param cmd the launcher and its arguments
     * @param env extra environment variables
     * @return the process builder
     */
    static ProcessBuilder command(List<String> cmd, Map<String, String> env) {
        var pb = new ProcessBuilder(cmd);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().putAll(env);
        return pb;
    }
}
