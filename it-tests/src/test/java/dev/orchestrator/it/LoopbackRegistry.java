package dev.orchestrator.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real container registry (Debian's {@code docker-registry}, distribution v2, installed by
 * scripts/test-tools.sh) run as a child process on a free port of 127.0.0.1, open or behind
 * basic auth ({@code htpasswd}, bcrypt), storing under a directory of the test's. Docker talks
 * plain HTTP to a registry on 127.0.0.0/8, so no TLS is needed. Images get in with
 * {@link #push}, which leaves no local copy of the pushed reference: using it afterwards needs
 * a real pull. The docker CLI runs with a configuration directory of its own under the
 * registry's directory, so no credential ever reaches {@code ~/.docker/config.json}. Closing it
 * stops the registry.
 */
final class LoopbackRegistry implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(15);
    private static final Duration DOCKER_TIMEOUT = Duration.ofSeconds(120);
    /** Docker's v2 manifest and list, and their OCI counterparts: what a pull accepts. */
    private static final String MANIFEST_TYPES = String.join(", ",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json");

    private final Process process;
    private final int port;
    private final Path dir;
    private final Path log;
    private final String user;
    private final String password;
    private final Thread hook;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LoopbackRegistry(Process process, int port, Path dir, Path log, String user, String password) {
        this.process = process;
        this.port = port;
        this.dir = dir;
        this.log = log;
        this.user = user;
        this.password = password;
        // A failed test must not leave its registry running after the test JVM ends.
        this.hook = new Thread(process::destroyForcibly);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * Starts a registry and waits (at most 15 s) until {@code GET /v2/} answers: 200 when open,
     * 401 behind auth.
     *
     * @param dir      its directory: {@code config.yml}, {@code htpasswd}, {@code registry.log},
     *                 the blobs under {@code storage/}, the docker CLI's configuration under
     *                 {@code docker-config/}
     * @param user     the one user, or null for an open registry
     * @param password that user's password (ignored when {@code user} is null)
     * @return the running registry
     */
    static LoopbackRegistry start(Path dir, String user, String password) throws IOException {
        Path exe = Path.of("/usr/bin/docker-registry");
        if (!Files.isExecutable(exe)) {
            throw new IllegalStateException("no " + exe + ": scripts/test-tools.sh installs Debian's docker-registry");
        }
        Files.createDirectories(dir.resolve("storage"));
        String auth = "";
        if (user != null) {
            Run h = run(List.of("htpasswd", "-Bbn", user, password), null, Duration.ofSeconds(30));
            if (h.status != 0) {
                throw new IllegalStateException("htpasswd -Bbn failed (scripts/test-tools.sh installs apache2-utils): "
                        + h.out);
            }
            Path users = dir.resolve("htpasswd");
            Files.writeString(users, h.out.strip() + "\n");
            auth = """
                    auth:
                      htpasswd:
                        realm: loopback-registry
                        path: %s
                    """.formatted(users.toAbsolutePath());
        }
        Path log = dir.resolve("registry.log");
        // The free port is only free until the registry binds it; another process taking it
        // meanwhile shows as a registry that exits at once, and then another port is tried.
        IllegalStateException failure = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port;
            try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = probe.getLocalPort();
            }
            Path config = dir.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: info
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    %s""".formatted(dir.resolve("storage").toAbsolutePath(), port, auth));
            Process p = new ProcessBuilder(exe.toString(), "serve", config.toAbsolutePath().toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            var registry = new LoopbackRegistry(p, port, dir, log, user, password);
            try {
                registry.awaitReady(user == null ? 200 : 401);
                return registry;
            } catch (IllegalStateException e) {
                registry.close();
                failure = e;
                if (!tail(log).contains("address already in use")) {
                    break;
                }
            }
        }
        throw failure;
    }

    private void awaitReady(int expected) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited (" + process.exitValue() + "): " + tail(log));
            }
            try {
                int status = get("/v2/", null, null, null);
                if (status == expected) {
                    return;
                }
                last = "GET /v2/ answered " + status;
            } catch (ConnectException e) {
                last = "refused";
            } catch (IOException e) {
                last = e.toString();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("docker-registry on " + host() + " not ready in " + START_TIMEOUT.toSeconds()
                + " s (" + last + ", expected " + expected + "): " + tail(log));
    }

    /** @return {@code 127.0.0.1:PORT}, the registry part of an image reference */
    String host() {
        return "127.0.0.1:" + port;
    }

    /** @return the registry's log (its stdout and stderr), for a failed test's message */
    Path log() {
        return log;
    }

    /**
     * Tags a local image as {@code HOST/repoTag}, pushes it (logged in with the registry's user
     * when it has one, through a docker configuration of its own), and removes that tag again:
     * only the tag, {@code localImage} stays.
     *
     * @param localImage a local image by name and tag, e.g. {@code orchestrator-test/web:1} (by
     *                   tag, not by id: an image whose only tag is the pushed one would go)
     * @param repoTag    repository and tag in this registry, e.g. {@code web:1}
     * @return the full reference, e.g. {@code 127.0.0.1:PORT/web:1}, not present locally
     */
    String push(String localImage, String repoTag) {
        String ref = host() + "/" + repoTag;
        String config = dockerConfig().toString();
        docker(null, "--config", config, "tag", localImage, ref);
        RuntimeException failed = null;
        try {
            if (user != null) {
                docker(password + "\n", "--config", config, "login", "--username", user, "--password-stdin", host());
            }
            docker(null, "--config", config, "push", ref);
        } catch (RuntimeException e) {
            failed = e;
        }
        // The tag goes even when the push failed: no test may find the reference locally.
        try {
            docker(null, "--config", config, "rmi", ref);
        } catch (RuntimeException e) {
            if (failed == null) {
                throw e;
            }
            failed.addSuppressed(e);
        }
        if (failed != null) {
            throw failed;
        }
        return ref;
    }

    /**
     * {@code GET /v2/<repo>/manifests/<tag>}, accepting Docker v2 (and OCI) manifests.
     *
     * @param user     basic auth user, or null for none
     * @param password its password
     * @return true on 200; false on 404 (no such manifest) or 401 (credentials refused or missing)
     */
    boolean hasManifest(String repo, String tag, String user, String password) {
        try {
            int status = get("/v2/" + repo + "/manifests/" + tag, MANIFEST_TYPES, user, password);
            return switch (status) {
                case 200 -> true;
                case 401, 404 -> false;
                default -> throw new IllegalStateException("GET manifest " + repo + ":" + tag + " answered " + status);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops the registry (SIGTERM, then SIGKILL after 10 s); again is a no-op. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway
        }
    }

    /** The docker CLI's own configuration directory for this registry (credentials of a login). */
    private Path dockerConfig() {
        Path d = dir.resolve("docker-config");
        try {
            Files.createDirectories(d);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return d.toAbsolutePath();
    }

    private int get(String path, String accept, String user, String password) throws IOException {
        var b = HttpRequest.newBuilder(URI.create("http://" + host() + path)).timeout(Duration.ofSeconds(5)).GET();
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Runs the docker CLI; a non-zero status is an error with its output. */
    private static String docker(String stdin, String... args) {
        var cmd = new ArrayList<String>();
        cmd.add("docker");
        cmd.addAll(List.of(args));
        Run r = run(cmd, stdin, DOCKER_TIMEOUT);
        if (r.status != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + r.status + "): " + r.out);
        }
        return r.out;
    }

    /** Result of a finished command: status, stdout and stderr together. */
    record Run(int status, String out) {
    }

    /**
     * Runs a command to completion, its stdin given (or empty) and its stdout and stderr read
     * together.
     */
    static Run run(List<String> cmd, String stdin, Duration timeout) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            var out = new java.io.ByteArrayOutputStream();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (IOException e) {
                    // the process ended
                }
            });
            if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " did not finish in " + timeout.toSeconds()
                        + " s");
            }
            reader.join();
            return new Run(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The last lines of a log, for a failure's message. */
    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
