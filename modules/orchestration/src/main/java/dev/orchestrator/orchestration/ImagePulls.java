package dev.orchestrator.orchestration;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.EventSink;
import dev.orchestrator.api.spi.PullProgress;
import dev.orchestrator.api.spi.RegistryAuth;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A node's image pulls: at most one pull per image at a time (replicas that need an image being
 * pulled wait for that pull), with the registry's credentials if the node holds them, and each
 * pull told as events: started, progress (at most every {@value #PROGRESS_SECONDS} s), done or
 * failed. Thread-safe; {@link #pull} blocks for the whole pull.
 */
final class ImagePulls {
    static final String TYPE = "image";
    /** A pull this recent serves {@code always} too: one pull per rollout on a node, not per replica. */
    static final Duration FRESH = Duration.ofSeconds(10);
    static final int PROGRESS_SECONDS = 5;

    private final LocalNode node;
    private final EventSink events;
    private final Clock clock;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();
    private final Map<String, Instant> pulledAt = new ConcurrentHashMap<>();

    ImagePulls(LocalNode node, EventSink events, Clock clock) {
        this.node = node;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param spec a service about to get a new container
     * @return true if its policy pulls before every create ({@code always}) and no pull of its
     *         image is fresh enough
     */
    boolean pullFirst(ServiceSpec spec) {
        if (!"always".equals(spec.effectivePullPolicy())) {
            return false;
        }
        Instant last = pulledAt.get(spec.image());
        return last == null || last.plus(FRESH).isBefore(clock.instant());
    }

    /**
     * @param spec a service whose create failed because its image is missing
     * @return true if its policy lets the node pull it
     */
    static boolean mayPull(ServiceSpec spec) {
        return !"never".equals(spec.effectivePullPolicy());
    }

    /**
     * Pulls the service's image, or waits for the pull of it already running.
     *
     * @param spec the service
     * @throws OrchestratorException with the registry's reason if the pull fails
     */
    void pull(ServiceSpec spec) {
        var mine = new CompletableFuture<Void>();
        CompletableFuture<Void> running = inFlight.putIfAbsent(spec.image(), mine);
        if (running != null) {
            await(running);
            return;
        }
        try {
            pullNow(spec);
            mine.complete(null);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(spec.image(), mine);
        }
    }

    private static void await(CompletableFuture<Void> running) {
        try {
            running.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof OrchestratorException o) {
                throw new OrchestratorException(o.code(), o.getMessage(), o);
            }
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, String.valueOf(e.getCause()), e);
        }
    }

    private void pullNow(ServiceSpec spec) {
        String image = spec.image();
        String host = Validation.registryHost(image);
        RegistryAuth auth = node.registries().forHost(host).orElse(null);
        Instant start = clock.instant();
        emit(spec, "Pulling image " + image + " on " + node.name() + (auth == null ? "" : " as " + auth.username()));
        var told = new Told(start);
        try {
            node.runtime().pull(image, auth, p -> told.progress(spec, p));
        } catch (OrchestratorException e) {
            emit(spec, "Pull of image " + image + " failed on " + node.name() + ": " + e.getMessage());
            throw e;
        }
        pulledAt.put(image, clock.instant());
        Duration took = Duration.between(start, clock.instant());
        emit(spec, "Pulled image " + image + " on " + node.name() + " (" + megabytes(told.last.doneBytes())
                + " downloaded in " + String.format(Locale.ROOT, "%.1f", took.toMillis() / 1000.0) + " s)");
    }

    private void emit(ServiceSpec spec, String message) {
        events.emit(TYPE, spec.name(), null, message, node.name());
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    /** The progress said so far: at most one event every few seconds. */
    private final class Told {
        private Instant lastTold;
        private PullProgress last = new PullProgress(0, 0, 0, 0);

        Told(Instant start) {
            this.lastTold = start;
        }

        void progress(ServiceSpec spec, PullProgress p) {
            last = p;
            Instant now = clock.instant();
            if (p.totalBytes() > 0 && now.isAfter(lastTold.plusSeconds(PROGRESS_SECONDS))) {
                lastTold = now;
                emit(spec, "Pulling image " + spec.image() + " on " + node.name() + ": "
                        + (int) (100 * p.doneBytes() / p.totalBytes()) + "% of " + megabytes(p.totalBytes())
                        + ", " + p.layersDone() + "/" + p.layers() + " layers");
            }
        }
    }
}
