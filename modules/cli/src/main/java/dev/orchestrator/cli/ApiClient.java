package dev.orchestrator.cli;

import com.fasterxml.jackson.core.exc.StreamReadException;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The client side of the REST API (docs/api.md), shared by every client command: the connection
 * options, basic authentication, JSON in and out (requests and answers are the records of
 * {@code dev.orchestrator.wire}, written and read by its one mapping, error bodies included), and the
 * translation of every failure into one {@link ApiException} line. Nothing here prints; nothing here
 * lets a stack trace through.
 */
final class ApiClient implements AutoCloseable {
    /** Options every client command accepts, with a value. */
    static final Set<String> VALUED = Set.of("url", "user", "password", "ca-cert");
    /** Options every client command accepts, without a value. */
    static final Set<String> SWITCHES = Set.of("password-stdin");
    /** The {@code --help} section describing them. */
    static final String HELP = """
            Connection options:
              --url URL            the server (default: $ORCHESTRATOR_URL, else http://localhost:8080)
              --user USER          user name (default: $ORCHESTRATOR_USER, else admin)
              --password PASSWORD  password (default: $ORCHESTRATOR_PASSWORD); other local users can
                                   see it in the process list: prefer the variable or --password-stdin
              --password-stdin     read the password from the first line of standard input
              --ca-cert FILE       PEM certificates an https:// server must be certified by (its
                                   private CA; default: $ORCHESTRATOR_CA_CERT, else the public CAs)
            """;

    static final String DEFAULT_URL = "http://localhost:8080";
    static final String DEFAULT_USER = "admin";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String user;
    private final String authorization;
    private final String userAgent;
    private final HttpClient http;

    /**
     * @param base     the server's base URL, without a trailing slash
     * @param user     the user name
     * @param password the password, or null to send no credentials
     */
    ApiClient(URI base, String user, String password) {
        this(base, user, password, null);
    }

    /**
     * @param base     the server's base URL, without a trailing slash
     * @param user     the user name
     * @param password the password, or null to send no credentials
     * @param tls      whom an https server must be certified by, or null for the runtime's default CAs
     */
    ApiClient(URI base, String user, String password, javax.net.ssl.SSLContext tls) {
        this.base = base;
        this.user = user;
        this.authorization = password == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.userAgent = "orchestrator-cli/" + Home.version();
        var b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (tls != null) {
            b.sslContext(tls);
        }
        this.http = b.build();
    }

    /**
     * Reads the connection options, falling back to the environment. Reads standard input for
     * {@code --password-stdin}; sends nothing.
     *
     * @param args parsed arguments that may hold {@link #VALUED} and {@link #SWITCHES}
     * @param env  environment variables and standard input
     * @return a client
     * @throws CliException for a malformed URL or user, or conflicting password options
     */
    static ApiClient connect(Args args, Env env) {
        return new ApiClient(baseUri(args.value("url").orElse(null), env), user(args, env), password(args, env),
                tls(args, env));
    }

    /**
     * Like {@link #connect(Args, Env)} for a command whose {@code --password-stdin} is its own
     * (it reads another secret from standard input): the password comes from
     * {@code $ORCHESTRATOR_PASSWORD} only.
     *
     * @param args parsed arguments, without {@code --password}
     * @param env  environment variables
     * @return a client
     * @throws CliException for a malformed URL or user
     */
    static ApiClient connectWithoutStdin(Args args, Env env) {
        return new ApiClient(baseUri(args.value("url").orElse(null), env), user(args, env),
                env.var("ORCHESTRATOR_PASSWORD").orElse(null), tls(args, env));
    }

    /** @return the TLS trust of {@code --ca-cert} or {@code $ORCHESTRATOR_CA_CERT}, or null for the default */
    private static javax.net.ssl.SSLContext tls(Args args, Env env) {
        var file = args.value("ca-cert").or(() -> env.var("ORCHESTRATOR_CA_CERT"));
        if (file.isEmpty()) {
            return null;
        }
        try {
            return dev.orchestrator.node.CaTrust.context(java.nio.file.Path.of(file.get()), "--ca-cert");
        } catch (dev.orchestrator.api.OrchestratorException e) {
            throw new CliException(e.getMessage());
        }
    }

    private static String user(Args args, Env env) {
        String user = args.value("user").or(() -> env.var("ORCHESTRATOR_USER")).orElse(DEFAULT_USER);
        if (user.isEmpty() || user.contains(":")) {
            throw new CliException("--user must be a non-empty name without ':', got '" + user + "'");
        }
        return user;
    }

    static URI baseUri(String option, Env env) {
        String source = option != null ? "--url" : "ORCHESTRATOR_URL";
        String text = (option != null ? option : env.var("ORCHESTRATOR_URL").orElse(DEFAULT_URL)).trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri != null && uri.getRawUserInfo() != null) {
            // Never echo it: it may hold a password.
            throw new CliException(source + " must not contain credentials: use --user and --password");
        }
        if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new CliException(source + " must be an http:// or https:// URL such as " + DEFAULT_URL
                    + ", got '" + text + "'");
        }
        return URI.create(text.replaceAll("/+$", ""));
    }

    private static String password(Args args, Env env) {
        boolean stdin = args.flag("password-stdin");
        if (stdin && args.value("password").isPresent()) {
            throw new CliException("--password and --password-stdin exclude each other");
        }
        if (!stdin) {
            return args.value("password").or(() -> env.var("ORCHESTRATOR_PASSWORD")).orElse(null);
        }
        String line = stdinLine(env);
        if (line == null) {
            throw new CliException("--password-stdin: standard input is empty");
        }
        return line;
    }

    /**
     * Reads one line of the process's standard input (a password given with {@code --password-stdin}).
     *
     * @param env the environment
     * @return the line without its line end, or null if standard input is empty
     * @throws CliException if it cannot be read
     */
    static String stdinLine(Env env) {
        try {
            // Not closed: it is the process's standard input.
            String line = new BufferedReader(new InputStreamReader(env.stdin(), StandardCharsets.UTF_8)).readLine();
            return line != null && line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new CliException("--password-stdin: cannot read standard input: " + e.getMessage());
        }
    }

    /** @return the server's base URL, as shown in messages */
    URI base() {
        return base;
    }

    /**
     * @param value a query parameter value
     * @return it, URL-encoded
     */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * @param path e.g. {@code /api/services/api-server}
     * @param type the wire record answered
     * @param <T>  its type
     * @return the answer, read into it
     * @throws ApiException for any failure, or if the answer is not such a record
     */
    <T> Answer<T> get(String path, Class<T> type) {
        return answer("GET", path, exchange("GET", path, null, "application/json"), type);
    }

    /**
     * @param path e.g. {@code /api/services}
     * @param type the wire record of each element of the array answered
     * @param <T>  its type
     * @return the answer, read into a list of them
     * @throws ApiException for any failure, or if the answer is not an array of such records
     */
    <T> Answer<List<T>> getList(String path, Class<T> type) {
        HttpResponse<String> r = exchange("GET", path, null, "application/json");
        List<T> value = read("GET", path, r.body(), '[', "a JSON array", type,
                () -> Wire.readAnswers(bytes(r.body()), type));
        return new Answer<>(r.statusCode(), value, r.body());
    }

    /**
     * @param path e.g. {@code /api/services/api-server/logs?tail=100}
     * @return the text body, as sent
     * @throws ApiException for any failure
     */
    String getText(String path) {
        return exchange("GET", path, null, "text/plain").body();
    }

    /**
     * Reads a stream of server-sent events until it ends. Blocks the caller.
     *
     * @param path   e.g. {@code /api/events?follow=true}
     * @param lastId sent as {@code Last-Event-ID} when above 0: the stream resumes after it
     * @param onLine called with each line of the stream, as sent
     * @throws ApiException if the server refuses the request or cannot be reached
     * @throws java.io.UncheckedIOException if the connection is lost while streaming
     */
    void stream(String path, long lastId, java.util.function.Consumer<String> onLine) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT) // until the headers: the stream itself may idle
                .header("Accept", "text/event-stream")
                .header("User-Agent", userAgent)
                .GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (lastId > 0) {
            b.header("Last-Event-ID", Long.toString(lastId));
        }
        HttpResponse<java.util.stream.Stream<String>> r = send(b.build(), "GET", path,
                HttpResponse.BodyHandlers.ofLines());
        try (var lines = r.body()) {
            if (r.statusCode() / 100 != 2) {
                throw failure("GET", path, r.statusCode(), String.join("\n", lines.toList()));
            }
            lines.forEach(onLine);
        }
    }

    /**
     * Reads the data of one server-sent event into its wire record.
     *
     * @param data the event's data
     * @param type the wire record it holds
     * @param <T>  its type
     * @return the record, or empty if the data is not such JSON (the stream goes on without it)
     */
    static <T> Optional<T> event(String data, Class<T> type) {
        try {
            return Optional.of(Wire.readAnswer(bytes(data), type));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * @param path    e.g. {@code /api/deploy}
     * @param request a request record of {@code dev.orchestrator.wire} (its absent fields null,
     *                and not sent), or null to send an empty body
     * @param type    the wire record answered
     * @param <T>     its type
     * @return the answer, read into it, with its status
     * @throws ApiException for any failure, or if the answer is not such a record
     */
    <T> Answer<T> post(String path, Object request, Class<T> type) {
        return answer("POST", path, exchange("POST", path, request == null ? null : Wire.writeRequest(request),
                "application/json"), type);
    }

    /**
     * @param path    e.g. {@code /api/registries/docker.io}
     * @param request a request record of {@code dev.orchestrator.wire}
     * @param type    the wire record answered, if the answer has a body (a 204 has none)
     * @param <T>     its type
     * @return the answer, read into it, or null for an answer without a body
     * @throws ApiException for any failure, or if a body is not such a record
     */
    <T> T put(String path, Object request, Class<T> type) {
        HttpResponse<String> r = exchange("PUT", path, Wire.writeRequest(request), "application/json");
        return r.body().isBlank() ? null : answer("PUT", path, r, type).value();
    }

    /**
     * @param path e.g. {@code /api/services/api-server}
     * @param type the wire record answered, if the answer has a body (a 204 has none)
     * @throws ApiException for any failure, or if a body is not such a record
     */
    void delete(String path, Class<?> type) {
        HttpResponse<String> r = exchange("DELETE", path, null, "application/json");
        if (!r.body().isBlank()) {
            answer("DELETE", path, r, type);
        }
    }

    /**
     * A successful answer.
     *
     * @param status the HTTP status, 2xx
     * @param value  its body, read into its wire record
     * @param json   its body as sent (what {@code -o json} prints, indented)
     * @param <T>    the record's type
     */
    record Answer<T>(int status, T value, String json) {
    }

    private <T> Answer<T> answer(String method, String path, HttpResponse<String> r, Class<T> type) {
        T value = read(method, path, r.body(), '{', "a JSON object", type,
                () -> Wire.readAnswer(bytes(r.body()), type));
        return new Answer<>(r.statusCode(), value, r.body());
    }

    /** Reads a body, or fails naming what it is not: JSON at all, of the shape expected, or the record. */
    private <T> T read(String method, String path, String body, char opening, String shape, Class<?> type,
                       Reading<T> reading) {
        try {
            return reading.read();
        } catch (StreamReadException e) {
            throw unexpected(method, path, "JSON");
        } catch (IOException e) {
            boolean shaped = body.stripLeading().startsWith(String.valueOf(opening));
            throw unexpected(method, path, shaped ? "the " + type.getSimpleName() + " JSON expected" : shape);
        }
    }

    /** One reading of a body by {@link Wire}. */
    @FunctionalInterface
    private interface Reading<T> {
        T read() throws IOException;
    }

    private static byte[] bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> exchange(String method, String path, byte[] body, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", accept)
                .header("User-Agent", userAgent);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = send(b.build(), method, path);
        if (r.statusCode() / 100 != 2) {
            throw failure(method, path, r.statusCode(), r.body());
        }
        return r;
    }

    private HttpResponse<String> send(HttpRequest request, String method, String path) {
        return send(request, method, path, HttpResponse.BodyHandlers.ofString());
    }

    private <T> HttpResponse<T> send(HttpRequest request, String method, String path,
                                     HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (HttpConnectTimeoutException e) {
            throw new ApiException("cannot reach the orchestrator server at " + base + ": no connection within "
                    + CONNECT_TIMEOUT.toSeconds() + "s");
        } catch (HttpTimeoutException e) {
            throw new ApiException("the orchestrator server at " + base + " did not answer " + method + " "
                    + stripQuery(path) + " within " + REQUEST_TIMEOUT.toSeconds() + "s");
        } catch (ConnectException e) {
            // The JDK's client says nothing more than "ConnectException" when the port is closed.
            String reason = reason(e);
            throw new ApiException("cannot reach the orchestrator server at " + base + ": "
                    + (reason.equals(e.getClass().getSimpleName()) ? "connection refused" : reason));
        } catch (IOException e) {
            throw new ApiException("lost the connection to the orchestrator server at " + base + ": " + reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
    }

    private ApiException failure(String method, String path, int status, String body) {
        if (status == 401) {
            return new ApiException("authentication failed for user '" + user + "' at " + base
                    + ": set ORCHESTRATOR_PASSWORD or --password");
        }
        String message = errorMessage(body);
        if (message != null) {
            return new ApiException(oneLine(message));
        }
        String what = "the server at " + base + " answered HTTP " + status + " to " + method + " " + stripQuery(path);
        if (status == 404) {
            return new ApiException(what + ": is it an orchestrator server?");
        }
        String first = body == null ? "" : body.strip().lines().findFirst().orElse("");
        return new ApiException(first.isEmpty() ? what + " with an empty body" : what + ": " + oneLine(first));
    }

    /** @return the message of an error body ({@code {"error": code, "message": ...}}), null if none */
    private static String errorMessage(String body) {
        try {
            String message = Wire.readAnswer(bytes(body == null ? "" : body), Views.Error.class).message();
            return message == null || message.isBlank() ? null : message;
        } catch (IOException e) {
            return null;
        }
    }

    private ApiException unexpected(String method, String path, String expected) {
        return new ApiException("the server at " + base + " answered " + method + " " + stripQuery(path)
                + " with something else than " + expected + ": is it an orchestrator server of this version?");
    }

    private String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnresolvedAddressException) {
                return "unknown host '" + base.getHost() + "'";
            }
            if (t instanceof javax.net.ssl.SSLHandshakeException) {
                return "TLS handshake failed (" + oneLine(String.valueOf(t.getMessage())) + "): if the server's"
                        + " certificate comes from a private CA, give it with --ca-cert or $ORCHESTRATOR_CA_CERT";
            }
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return oneLine(t.getMessage());
            }
        }
        return e.getClass().getSimpleName();
    }

    private static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** Keeps a server-provided text on one line of reasonable length. */
    private static String oneLine(String s) {
        String line = s.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 197) + "...";
    }

    @Override
    public void close() {
        http.close();
    }
}
