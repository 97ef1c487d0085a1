package dev.orchestrator.api.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A node's container runtime, as seen by the orchestrator. One instance serves the whole
 * process.
 *
 * <p>Threading: every method is thread-safe and may be called concurrently. Blocking: every
 * method blocks on the runtime (a network call); callers run them on virtual threads or a
 * worker pool, never on an event loop. Failures of the runtime itself throw
 * {@link dev.orchestrator.api.OrchestratorException} with
 * {@link dev.orchestrator.api.ErrorCode#RUNTIME_FAILURE}; a missing container is a value
 * ({@link Optional#empty()}, or a no-op for {@link #stop} and {@link #remove}), not an error.
 */
public interface ContainerRuntime extends AutoCloseable {
    /** @return facts about the runtime and its machine */
    RuntimeInfo info();

    /**
     * Checks that the engine answers, as cheaply as it can. Blocks for a round trip; safe from
     * any thread; no side effects.
     *
     * @throws dev.orchestrator.api.OrchestratorException {@code RUNTIME_FAILURE} if it does not
     */
    default void ping() {
        info();
    }

    /**
     * @param image an image reference
     * @return true if the image is present locally (no pull is attempted)
     */
    boolean imagePresent(String image);

    /**
     * Pulls an image from its registry, as {@code docker pull} does, and returns once it is
     * present. Blocks for the whole download (seconds to minutes); safe from any thread; two
     * pulls of one image at once are allowed (the engine shares the download), and pulling an
     * image that is present and current downloads nothing. The credentials are used for this
     * pull only and never logged.
     *
     * <p>The default, for runtimes that cannot pull, refuses.
     *
     * @param image    an image reference, e.g. {@code registry.example.com/app:1.4}
     * @param auth     the registry's credentials, or null to pull anonymously
     * @param progress called from the pulling thread as layers come in; must return quickly
     * @throws dev.orchestrator.api.OrchestratorException {@code RUNTIME_FAILURE} with the
     *         registry's reason (e.g. {@code unauthorized}, {@code not found}) if it fails
     */
    default void pull(String image, RegistryAuth auth, Consumer<PullProgress> progress) {
        throw new dev.orchestrator.api.OrchestratorException(dev.orchestrator.api.ErrorCode.RUNTIME_FAILURE,
                "this container runtime cannot pull images");
    }

    /**
     * Creates (does not start) a container. Not idempotent: a name already in use fails with
     * {@link dev.orchestrator.api.ErrorCode#CONFLICT}.
     *
     * @param request what to create
     * @return the new container's id
     */
    String create(ContainerRequest request);

    /**
     * Starts a created or stopped container. Idempotent: starting a running container is a no-op.
     *
     * @param id the container id
     */
    void start(String id);

    /**
     * Stops a container, waiting up to {@code grace} before killing it. Idempotent.
     *
     * @param id    the container id
     * @param grace time between SIGTERM and SIGKILL
     */
    void stop(String id, Duration grace);

    /**
     * Removes a container, killing it first if {@code force}. Idempotent.
     *
     * @param id    the container id
     * @param force kill a running container
     */
    void remove(String id, boolean force);

    /**
     * @param id a container id or name
     * @return the container's current details, or empty if it does not exist
     */
    Optional<ContainerDetails> inspect(String id);

    /**
     * Lists containers in any state whose labels include all of {@code labels}.
     *
     * @param labels required label values; empty for all containers
     * @return the matching containers
     */
    List<ContainerDetails> list(Map<String, String> labels);

    /**
     * Reads the last lines of a container's stdout and stderr, oldest first.
     *
     * @param id   the container id
     * @param tail how many lines at most, &gt; 0
     * @return the lines; empty if the container does not exist
     */
    List<LogLine> logs(String id, int tail);

    /**
     * Follows a container's stdout and stderr: the lines from {@code since} on, then each new
     * one as the container writes it, until the container ends or the handle is closed. Returns
     * at once; {@code sink} is called from one runtime thread per stream, in order, and must
     * return quickly. {@code ended} is called once when the stream ends for any reason.
     *
     * @param id    the container id
     * @param since the first instant wanted, or null for all the container's output
     * @param sink  receives each line
     * @param ended called once when the stream ends, with the error or null
     * @return a handle whose {@link AutoCloseable#close()} ends the stream; idempotent
     * @throws UnsupportedOperationException if this runtime cannot follow output (the default)
     */
    default AutoCloseable followLogs(String id, java.time.Instant since, Consumer<LogLine> sink,
                                     Consumer<Throwable> ended) {
        throw new UnsupportedOperationException("this runtime cannot follow container output");
    }

    /**
     * Runs a command inside a running container. The argv is passed as is: no shell is
     * involved. Returns when the command ends or {@code timeout} passes, whichever is first;
     * a command that outlives its timeout is ended where the runtime can (a health command that
     * hangs must not pile up one process per probe interval).
     *
     * @param id      the container id
     * @param argv    the command and its arguments, not empty
     * @param timeout the longest wait
     * @return the exit code and output, or a timed-out result
     */
    ExecResult exec(String id, List<String> argv, Duration timeout);

    /**
     * Subscribes to container events (start, die, oom, ...). The listener is called from one
     * runtime thread, in order; it must return quickly. If the stream breaks, the runtime
     * reconnects by itself and delivers a {@link RuntimeEvent.Type#RESYNC} event so the
     * listener knows events may have been missed.
     *
     * @param listener the callback
     * @return a handle whose {@link AutoCloseable#close()} ends the subscription
     */
    AutoCloseable events(Consumer<RuntimeEvent> listener);

    /**
     * @return the runtime's networks, if it manages networks; a runtime without them runs every
     *         container on its default network, and services cannot reach each other by name
     */
    default Optional<NetworkRuntime> networking() {
        return Optional.empty();
    }

    /**
     * Reads one sample of a running container's CPU and memory use. Blocks for a round trip,
     * which may take a while (Docker samples for about a second): callers read the stats of
     * many containers in parallel, never on a thread that has other work. Safe from any
     * thread; no side effects.
     *
     * <p>The default, for runtimes that do not measure, knows nothing: stats are observed
     * values, and an unknown one is shown as unknown, never as 0.
     *
     * @param id the container id
     * @return the sample; empty if the container does not exist or does not run, or the
     *         runtime does not measure
     */
    default Optional<ContainerStats> stats(String id) {
        return Optional.empty();
    }

    /** Releases connections and threads. Idempotent. */
    @Override
    void close();
}
