package dev.orchestrator.probe.http;

import dev.orchestrator.api.Validation;
import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.api.spi.ProbeTarget;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * GETs {@code target.spec().endpoint()} (see {@link Endpoints} for how {@code localhost} is
 * redirected to the replica) and is healthy iff the status is in the expected range,
 * {@code 200-399} by default. Redirects are not followed, so a 3xx counts as healthy; the body
 * is never read (the connection is dropped once the status line and headers are in), so a
 * server that streams an endless body is still judged by its status.
 *
 * <p>Threading: thread-safe; the kernel calls {@link #check} concurrently from many virtual
 * threads, all sharing this probe's one {@link HttpClient} (HTTP/1.1, no proxy, no redirects).
 * Blocking: blocks for at most {@code spec.timeout()} plus {@link #MARGIN}; the request's
 * timeout covers connecting and waiting for the response. Never throws for an unhealthy
 * target: {@code HTTP 500}, {@code connection refused}, {@code timed out after 2s} or
 * {@code bad endpoint '...': ...} are the results' details.
 *
 * <p>Resources: the client has one selector thread; its other work runs on virtual threads.
 * {@link #close()} stops them. A probe that is dropped without being closed frees them when
 * garbage collected. The {@code Host} header is the address connected to: the JDK client only
 * lets a request set {@code Host} when the whole JVM opts in
 * ({@code -Djdk.httpclient.allowRestrictedHeaders=host}), which a plugin must not decide.
 */
final class HttpProbe implements Probe, AutoCloseable {
    /** Extra wait past the request's own timeout before the request is abandoned. */
    static final Duration MARGIN = Duration.ofMillis(200);

    private static final int MAX_DETAIL = 200;
    private static final Pattern IP_LITERAL = Pattern.compile("\\[.*]|[0-9.]+");

    private final StatusRange expected;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient client;

    HttpProbe(StatusRange expected) {
        this.expected = expected;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY) // replicas are reached directly, never through http.proxyHost
                .executor(executor)
                .build();
    }

    @Override
    public ProbeResult check(ProbeTarget target) {
        long start = System.nanoTime();
        String endpoint = target.spec().endpoint();
        if (endpoint == null || endpoint.isBlank()) {
            return ProbeResult.unhealthy("health_check.endpoint is required", since(start));
        }
        URI uri;
        try {
            uri = Endpoints.resolve(endpoint, target);
        } catch (IllegalArgumentException e) {
            return ProbeResult.unhealthy(e.getMessage(), since(start));
        }
        Outcome outcome = get(uri, target.spec().timeout());
        return expected.contains(outcome.status())
                ? ProbeResult.healthy(outcome.detail(), since(start))
                : ProbeResult.unhealthy(outcome.detail(), since(start));
    }

    /** Stops the client's threads and drops its connections. Idempotent. */
    @Override
    public void close() {
        client.shutdownNow();
        executor.shutdownNow();
    }

    private Outcome get(URI uri, Duration timeout) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).GET().timeout(timeout).build();
        } catch (IllegalArgumentException e) {
            return Outcome.failed("bad endpoint '" + uri + "': " + e.getMessage());
        }
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, StatusOnly::new);
        try {
            // The request's timeout normally fires first; this bound is for a client that is stuck.
            return Outcome.of(response.get(timeout.plus(MARGIN).toNanos(), TimeUnit.NANOSECONDS).statusCode());
        } catch (TimeoutException e) {
            response.cancel(true);
            return Outcome.failed(timedOut(timeout));
        } catch (ExecutionException e) {
            return Outcome.failed(describe(e.getCause(), uri, timeout));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return Outcome.failed("interrupted");
        }
    }

    /** @return a short reason for a failed exchange, from the first telling exception in its chain */
    private static String describe(Throwable failure, URI uri, Duration timeout) {
        for (Throwable e = failure; e != null; e = e.getCause()) {
            if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
                return timedOut(timeout);
            }
            if (e instanceof UnknownHostException) {
                return "unknown host " + e.getMessage();
            }
            if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
                return e.getMessage() == null || e.getMessage().isBlank()
                        ? connectFailed(uri) : e.getMessage().toLowerCase(Locale.ROOT);
            }
        }
        Throwable e = failure;
        while (e.getCause() != null && (e.getMessage() == null || e.getMessage().isBlank())) {
            e = e.getCause();
        }
        String message = e.getMessage() == null || e.getMessage().isBlank()
                ? e.getClass().getSimpleName() : e.getMessage();
        return message.length() <= MAX_DETAIL ? message : message.substring(0, MAX_DETAIL) + "...";
    }

    /**
     * The client retries a failed connect and reports a ConnectException without a message
     * around the retry's ClosedChannelException: whether the port was closed or the host name
     * unknown is lost. For an IP address only the former is possible.
     */
    private static String connectFailed(URI uri) {
        return IP_LITERAL.matcher(uri.getHost()).matches() ? "connection refused"
                : "cannot connect to " + uri.getHost() + " (refused, or unknown host)";
    }

    private static String timedOut(Duration timeout) {
        return "timed out after " + Validation.format(timeout);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * Completes as soon as the status line and headers are in and cancels the body, which also
     * closes the connection (a probe every few seconds gains nothing from keeping it).
     */
    private static final class StatusOnly implements HttpResponse.BodySubscriber<Void> {
        StatusOnly(HttpResponse.ResponseInfo info) {
            // The status is read from the response; the body is not wanted.
        }

        @Override
        public CompletionStage<Void> getBody() {
            return CompletableFuture.completedStage(null);
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
        }

        @Override
        public void onError(Throwable throwable) {
        }

        @Override
        public void onComplete() {
        }
    }

    /**
     * What one GET found.
     *
     * @param status the HTTP status, or -1 when there was none
     * @param detail {@code HTTP <status>}, or why there is no status
     */
    private record Outcome(int status, String detail) {
        static Outcome of(int status) {
            return new Outcome(status, "HTTP " + status);
        }

        static Outcome failed(String why) {
            return new Outcome(-1, why);
        }
    }
}
