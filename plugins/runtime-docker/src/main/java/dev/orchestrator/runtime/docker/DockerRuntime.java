package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.command.ListContainersCmd;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Version;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ContainerStats;
import dev.orchestrator.api.spi.NetworkRuntime;
import dev.orchestrator.api.spi.ExecResult;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.api.spi.PullProgress;
import dev.orchestrator.api.spi.RegistryAuth;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.api.spi.RuntimeInfo;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * {@link ContainerRuntime} for Docker Engine, through docker-java. Thread-safe; every method
 * blocks on the Docker API.
 *
 * <p>Two clients share one configuration: {@code api} has a response timeout, so a hung daemon
 * cannot hold a caller forever; {@code streams} has none, for calls that legitimately stay
 * silent for long (the event stream, exec output, {@code stop} waiting out its grace period).
 * Those calls bound their own wait instead.
 */
public final class DockerRuntime implements ContainerRuntime {
    /** Most bytes of exec output kept. */
    static final int EXEC_OUTPUT_LIMIT = 8 * 1024;
    private static final String[] EVENT_ACTIONS = {"create", "start", "die", "oom", "destroy"};
    private static final Duration EXIT_CODE_WAIT = Duration.ofSeconds(2);
    /** The longest a stats read waits: Docker's two samples are a second apart. */
    static final Duration STATS_WAIT = Duration.ofSeconds(5);

    private final DockerClient api;
    private final DockerClient streams;
    private final String host;
    private final Duration responseTimeout;
    private final Clock clock;
    private final System.Logger log;
    private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final DockerNetworks networks;
    private final DockerPulls pulls;

    /**
     * @param api             client for request/response calls, with a response timeout
     * @param streams         client for long-lived calls, without one
     * @param host            the Docker host, for messages
     * @param responseTimeout the {@code api} client's response timeout
     * @param clock           the kernel's clock
     * @param log             where to log
     */
    DockerRuntime(DockerClient api, DockerClient streams, String host, Duration responseTimeout, Clock clock,
                  System.Logger log) {
        this.api = api;
        this.streams = streams;
        this.host = host;
        this.networks = new DockerNetworks(api, host);
        this.pulls = new DockerPulls(streams, host);
        this.responseTimeout = responseTimeout;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public RuntimeInfo info() {
        try {
            Info info = api.infoCmd().exec();
            Version version = api.versionCmd().exec();
            Integer cpus = info.getNCPU();
            Long memory = info.getMemTotal();
            return new RuntimeInfo(DockerRuntimeFactory.NAME, info.getServerVersion(), version.getApiVersion(),
                    cpus == null ? 0 : cpus, memory == null ? 0 : memory,
                    info.getOperatingSystem());
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "read info of", "the engine", e);
        }
    }

    @Override
    public void ping() {
        try {
            api.pingCmd().exec();
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "reach", "the engine", e);
        }
    }

    @Override
    public boolean imagePresent(String image) {
        requireText(image, "image");
        try {
            api.inspectImageCmd(image).exec();
            return true;
        } catch (NotFoundException e) {
            return false;
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "inspect image", image, e);
        }
    }

    @Override
    public void pull(String image, RegistryAuth auth, Consumer<PullProgress> progress) {
        requireText(image, "image");
        Objects.requireNonNull(progress, "progress");
        pulls.pull(image, auth, progress);
    }

    @Override
    public Optional<NetworkRuntime> networking() {
        return Optional.of(networks);
    }

    @Override
    public String create(ContainerRequest request) {
        try {
            CreateContainerResponse created = createCommand(request).exec();
            attach(created.getId(), request);
            if (created.getWarnings() != null && created.getWarnings().length > 0) {
                log.log(System.Logger.Level.INFO, "docker warnings creating " + request.name() + ": "
                        + String.join("; ", created.getWarnings()));
            }
            return created.getId();
        } catch (ConflictException e) {
            throw DockerErrors.of(ErrorCode.CONFLICT, "container name " + request.name() + " is already in use", e);
        } catch (NotFoundException e) {
            throw notFoundOnCreate(request, e);
        } catch (BadRequestException e) {
            // Docker rejected a value we passed through, e.g. an alias on the default bridge.
            throw DockerErrors.of(ErrorCode.INVALID_ARGUMENT, "docker refused to create container " + request.name(), e);
        } catch (OrchestratorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "create container", request.name(), e);
        }
    }

    /** Joins the further networks; on failure the half-made container goes, so the name is free again. */
    private void attach(String id, ContainerRequest request) {
        try {
            for (String more : request.moreNetworks()) {
                networks.connect(id, more, request.aliases());
            }
        } catch (RuntimeException e) {
            remove(id, true);
            throw e;
        }
    }

    @Override
    public void start(String id) {
        requireText(id, "container id");
        try {
            api.startContainerCmd(id).exec();
        } catch (NotModifiedException e) {
            // Already running: start is idempotent.
        } catch (NotFoundException e) {
            throw DockerErrors.of(ErrorCode.NOT_FOUND, "cannot start container " + id, e);
        } catch (RuntimeException e) {
            if (isPortTaken(e)) {
                throw DockerErrors.of(ErrorCode.CONFLICT, "cannot start container " + id, e);
            }
            throw DockerErrors.failure(host, "start container", id, e);
        }
    }

    @Override
    public void stop(String id, Duration grace) {
        requireText(id, "container id");
        try {
            // On the streams client: Docker answers only after the grace period and the kill.
            streams.stopContainerCmd(id).withTimeout(graceSeconds(grace)).exec();
        } catch (NotModifiedException | NotFoundException e) {
            // Already stopped, or gone: stop is idempotent.
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "stop container", id, e);
        }
    }

    @Override
    public void remove(String id, boolean force) {
        requireText(id, "container id");
        try {
            // Anonymous volumes go with the container, or every replacement would leak one.
            api.removeContainerCmd(id).withForce(force).withRemoveVolumes(true).exec();
        } catch (NotFoundException e) {
            // Already gone: remove is idempotent.
        } catch (ConflictException e) {
            if (!DockerErrors.reason(e).contains("already in progress")) {
                throw DockerErrors.of(ErrorCode.CONFLICT, "cannot remove container " + id, e);
            }
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "remove container", id, e);
        }
    }

    @Override
    public Optional<ContainerDetails> inspect(String id) {
        requireText(id, "container id");
        try {
            return Optional.of(DockerMapping.details(api.inspectContainerCmd(id).exec()));
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "inspect container", id, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Docker's list carries no start time, exit code or OOM flag, so each match is inspected;
     * one removed in between is left out.
     */
    @Override
    public List<ContainerDetails> list(Map<String, String> labels) {
        List<Container> found;
        try {
            ListContainersCmd cmd = api.listContainersCmd().withShowAll(true);
            if (labels != null && !labels.isEmpty()) {
                cmd.withLabelFilter(labels);
            }
            found = cmd.exec();
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "list containers with labels", String.valueOf(labels), e);
        }
        if (found.size() <= 1) {
            return found.stream().map(c -> inspect(c.getId())).flatMap(Optional::stream).toList();
        }
        // Docker's list lacks exit codes, OOM flags and start times, so each match is inspected;
        // in parallel, since a reconcile pass over 20 replicas waits for all of them.
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = found.stream().map(c -> pool.submit(() -> inspect(c.getId()))).toList();
            return futures.stream().map(DockerRuntime::join).flatMap(Optional::stream).toList();
        }
    }

    private static Optional<ContainerDetails> join(java.util.concurrent.Future<Optional<ContainerDetails>> f) {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing containers", e);
        }
    }

    @Override
    public List<LogLine> logs(String id, int tail) {
        requireText(id, "container id");
        if (tail <= 0) {
            throw OrchestratorException.invalid("tail must be > 0, got " + tail);
        }
        // The same reader as a follow, into a list: the stream ends after the tail.
        List<LogLine> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        LogFollower collector = new LogFollower(lines::add, failure -> { });
        try (collector) {
            api.logContainerCmd(id).withStdOut(true).withStdErr(true).withTimestamps(true).withTail(tail)
                    .exec(collector);
            awaitOrFail(collector, responseTimeout, "read logs of container", id);
        } catch (NotFoundException e) {
            return List.of();
        } catch (OrchestratorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "read logs of container", id, e);
        }
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    @Override
    public AutoCloseable followLogs(String id, Instant since, Consumer<LogLine> sink, Consumer<Throwable> ended) {
        requireText(id, "container id");
        Objects.requireNonNull(sink, "sink");
        Objects.requireNonNull(ended, "ended");
        LogFollower follower = new LogFollower(sink, ended);
        try {
            var cmd = streams.logContainerCmd(id).withStdOut(true).withStdErr(true).withTimestamps(true)
                    .withFollowStream(true);
            if (since != null) {
                // Docker's since has whole seconds: the caller drops what it already has.
                cmd.withSince((int) since.getEpochSecond());
            }
            cmd.exec(follower);
        } catch (RuntimeException e) {
            follower.close();
            throw DockerErrors.failure(host, "follow logs of container", id, e);
        }
        return follower;
    }

    @Override
    public ExecResult exec(String id, List<String> argv, Duration timeout) {
        requireText(id, "container id");
        if (argv == null || argv.isEmpty()) {
            throw OrchestratorException.invalid("exec needs a command, got none");
        }
        long deadline = System.nanoTime() + Objects.requireNonNull(timeout, "timeout").toNanos();
        String execId = createExec(id, argv);
        try (ExecOutput output = new ExecOutput(EXEC_OUTPUT_LIMIT)) {
            streams.execStartCmd(execId).exec(output);
            if (!output.await(Duration.ofNanos(deadline - System.nanoTime()))) {
                // Closing the stream (end of try) stops our reader thread; the command is ended
                // from this host, as Docker cannot (see ExecKiller).
                killTimedOut(id, execId);
                return new ExecResult(-1, output.text(), true);
            }
            rethrow(output.error());
            return new ExecResult(exitCode(execId), output.text(), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DockerErrors.failure(host, "wait for exec in container", id, e);
        } catch (OrchestratorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "run exec " + argv.get(0) + " in container", id, e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>One {@code stats?stream=false} call: Docker samples the container twice, about a
     * second apart, before it answers, so this takes 1-2 s; it runs on the client without a
     * response timeout and bounds its own wait to {@link #STATS_WAIT}.
     */
    @Override
    public Optional<ContainerStats> stats(String id) {
        requireText(id, "container id");
        StatsCollector collector = new StatsCollector();
        try (collector) {
            streams.statsCmd(id).withNoStream(true).exec(collector);
            awaitOrFail(collector, STATS_WAIT, "read stats of container", id);
        } catch (NotFoundException e) {
            return Optional.empty();
        } catch (OrchestratorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "read stats of container", id, e);
        }
        return collector.sample();
    }

    @Override
    public AutoCloseable events(Consumer<RuntimeEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        if (closed.get()) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "the docker runtime is closed");
        }
        EventSubscription subscription = EventSubscription.start(this::openEvents, listener, clock, log);
        subscriptions.add(subscription);
        return () -> {
            subscriptions.remove(subscription);
            subscription.close();
        };
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        subscriptions.forEach(EventSubscription::close);
        subscriptions.clear();
        closeQuietly(api);
        closeQuietly(streams);
    }

    private CreateContainerCmd createCommand(ContainerRequest r) {
        CreateContainerCmd cmd = api.createContainerCmd(r.image())
                .withName(r.name())
                .withLabels(r.labels())
                .withEnv(DockerMapping.env(r.env()))
                .withExposedPorts(DockerMapping.exposedPorts(r.ports()))
                .withHostConfig(DockerMapping.hostConfig(r));
        if (!r.command().isEmpty()) {
            cmd.withCmd(r.command());
        }
        if (r.stopSignal() != null) {
            cmd.withStopSignal(r.stopSignal()); // what docker stop sends first, before the kill
        }
        if (r.network() != null && !r.aliases().isEmpty()) {
            cmd.withAliases(r.aliases()); // docker-java puts them on the network named by the host config
        }
        return cmd;
    }

    /** Docker answers 404 for a missing image and for a missing network alike; tell them apart. */
    private OrchestratorException notFoundOnCreate(ContainerRequest r, NotFoundException e) {
        boolean imageMissing;
        try {
            imageMissing = !imagePresent(r.image());
        } catch (OrchestratorException ignored) {
            imageMissing = DockerErrors.reason(e).toLowerCase(Locale.ROOT).contains("image");
        }
        if (imageMissing) {
            return new OrchestratorException(ErrorCode.NOT_FOUND,
                    "image " + r.image() + " is not present on this node", e);
        }
        return DockerErrors.of(ErrorCode.NOT_FOUND, "cannot create container " + r.name(), e);
    }

    private String createExec(String id, List<String> argv) {
        try {
            return api.execCreateCmd(id).withCmd(argv.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).exec().getId();
        } catch (NotFoundException e) {
            throw DockerErrors.of(ErrorCode.NOT_FOUND, "cannot exec in container " + id, e);
        } catch (ConflictException e) {
            throw DockerErrors.of(ErrorCode.CONFLICT, "cannot exec in container " + id, e);
        } catch (RuntimeException e) {
            throw DockerErrors.failure(host, "create exec in container", id, e);
        }
    }

    private void killTimedOut(String containerId, String execId) {
        try {
            InspectExecResponse r = api.inspectExecCmd(execId).exec();
            Long pid = r.getPidLong();
            String full = containerId.length() == 64 ? containerId : api.inspectContainerCmd(containerId).exec().getId();
            if (Boolean.TRUE.equals(r.isRunning()) && pid != null && !ExecKiller.kill(full, pid)) {
                log.log(System.Logger.Level.DEBUG, "timed-out exec " + execId + " (pid " + pid
                        + ") is not a process of this host: it runs on until it ends");
            }
        } catch (RuntimeException e) {
            log.log(System.Logger.Level.DEBUG, "timed-out exec " + execId + " not ended: " + e.getMessage());
        }
    }

    /**
     * The output stream can end a moment before Docker records the exit code, so poll briefly.
     */
    private int exitCode(String execId) throws InterruptedException {
        long deadline = System.nanoTime() + EXIT_CODE_WAIT.toNanos();
        while (true) {
            InspectExecResponse r = api.inspectExecCmd(execId).exec();
            boolean running = Boolean.TRUE.equals(r.isRunning());
            if ((!running && r.getExitCodeLong() != null) || System.nanoTime() > deadline) {
                return r.getExitCodeLong() == null ? -1 : r.getExitCodeLong().intValue();
            }
            Thread.sleep(10);
        }
    }

    private AutoCloseable openEvents(EventSubscription.Sink sink) {
        return streams.eventsCmd()
                .withEventTypeFilter(EventType.CONTAINER)
                .withEventFilter(EVENT_ACTIONS)
                .exec(new EventCallback(sink));
    }

    private void awaitOrFail(StreamCallback<?> callback, Duration timeout, String action, String target) {
        try {
            if (!callback.await(timeout)) {
                throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "docker at " + host + ": cannot " + action
                        + " " + target + ": no answer within " + timeout.toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DockerErrors.failure(host, action, target, e);
        }
        rethrow(callback.error());
    }

    /** Stream errors arrive on docker-java's thread; raise them on the caller's. */
    private static void rethrow(Throwable error) {
        if (error instanceof RuntimeException re) {
            throw re;
        }
        if (error != null) {
            throw new IllegalStateException(error.getMessage(), error);
        }
    }

    private static boolean isPortTaken(RuntimeException e) {
        if (!(e instanceof DockerException)) {
            return false;
        }
        String reason = DockerErrors.reason(e);
        return reason.contains("port is already allocated") || reason.contains("address already in use");
    }

    private static int graceSeconds(Duration grace) {
        if (grace == null || grace.isNegative()) {
            return 0;
        }
        long seconds = grace.toSeconds() + (grace.toNanosPart() > 0 ? 1 : 0); // round up: never cut it short
        return (int) Math.min(Integer.MAX_VALUE, seconds);
    }

    private static void requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw OrchestratorException.invalid(what + " must not be empty");
        }
    }

    private void closeQuietly(DockerClient client) {
        try {
            client.close();
        } catch (IOException | RuntimeException e) {
            log.log(System.Logger.Level.DEBUG, "closing docker client failed", e);
        }
    }
}
