package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.ResponseItem;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PullProgress;
import dev.orchestrator.api.spi.RegistryAuth;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code docker pull} through docker-java: the reference split into repository and tag (or
 * digest), the credentials as the engine's {@code X-Registry-Auth}, the progress stream summed
 * over layers. Thread-safe; blocks for the whole pull.
 */
final class DockerPulls {
    /** A pull that takes longer than this is abandoned (the engine may go on downloading). */
    static final Duration LONGEST = Duration.ofMinutes(30);

    private final DockerClient streams;
    private final String host;

    /**
     * @param streams a client without response timeout: a layer being extracted is silent
     * @param host    the Docker host, for messages
     */
    DockerPulls(DockerClient streams, String host) {
        this.streams = streams;
        this.host = host;
    }

    void pull(String image, RegistryAuth auth, Consumer<PullProgress> progress) {
        Reference ref = Reference.parse(image);
        var cmd = streams.pullImageCmd(ref.repository()).withTag(ref.tag());
        if (auth != null) {
            cmd.withAuthConfig(new AuthConfig().withRegistryAddress(auth.host()).withUsername(auth.username())
                    .withPassword(auth.password()));
        }
        var callback = new Progress(progress);
        try {
            if (!cmd.exec(callback).awaitCompletion(LONGEST.toMinutes(), TimeUnit.MINUTES)) {
                callback.close();
                throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "pull of " + image + " took longer than "
                        + LONGEST.toMinutes() + " minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "interrupted while pulling " + image);
        } catch (OrchestratorException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, reason(e), e);
        } catch (java.io.IOException e) {
            throw DockerErrors.failure(host, "pull", image, e);
        }
    }

    /**
     * The registry's words, shortened to what a user acts on: {@code unauthorized},
     * {@code not found}, {@code registry unreachable}, followed by Docker's own text.
     */
    static String reason(Throwable e) {
        String text = DockerErrors.reason(e).replaceFirst("^Could not pull image: ", "");
        String lower = text.toLowerCase(Locale.ROOT);
        String kind;
        if (lower.contains("unauthorized") || lower.contains("no basic auth credentials")
                || lower.contains("authentication required") || lower.contains("denied")) {
            kind = "unauthorized";
        } else if (lower.contains("manifest unknown") || lower.contains("not found")
                || lower.contains("does not exist")) {
            kind = "not found";
        } else if (lower.contains("connection refused") || lower.contains("no such host")
                || lower.contains("i/o timeout") || lower.contains("dial tcp")) {
            kind = "registry unreachable";
        } else {
            return text;
        }
        return kind + " (" + text + ")";
    }

    /** Sums the layers' progress; docker-java's own callback raises the stream's error at the end. */
    private static final class Progress extends PullImageResultCallback {
        private final Consumer<PullProgress> sink;
        private final Map<String, long[]> layers = new LinkedHashMap<>(); // id -> {done, total, complete}

        Progress(Consumer<PullProgress> sink) {
            this.sink = sink;
        }

        @Override
        public void onNext(PullResponseItem item) {
            super.onNext(item);
            String id = item.getId();
            String status = item.getStatus();
            if (id == null || status == null || status.startsWith("Pulling from")) {
                return;
            }
            long[] layer = layers.computeIfAbsent(id, k -> new long[3]);
            ResponseItem.ProgressDetail d = item.getProgressDetail();
            Long current = d == null ? null : d.getCurrent();
            Long size = d == null ? null : d.getTotal();
            if (status.startsWith("Downloading") && size != null && size > 0) {
                layer[0] = current == null ? layer[0] : current;
                layer[1] = size;
            } else if (status.startsWith("Download complete") || status.startsWith("Pull complete")
                    || status.startsWith("Already exists")) {
                layer[0] = layer[1];
                layer[2] = 1;
            }
            long done = 0;
            long total = 0;
            int complete = 0;
            for (long[] l : layers.values()) {
                done += l[0];
                total += l[1];
                complete += (int) l[2];
            }
            sink.accept(new PullProgress(done, total, layers.size(), complete));
        }
    }

    /** An image reference as the engine's pull takes it: repository, and tag or digest. */
    record Reference(String repository, String tag) {
        static Reference parse(String image) {
            int at = image.indexOf('@');
            if (at > 0) {
                return new Reference(image.substring(0, at), image.substring(at + 1));
            }
            int colon = image.lastIndexOf(':');
            if (colon > image.lastIndexOf('/')) {
                return new Reference(image.substring(0, colon), image.substring(colon + 1));
            }
            return new Reference(image, "latest");
        }
    }
}
