import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follow latency of a container's log lines: the runtime's timestamp of each line (when dockerd
 * read it from the container) to the moment this process reads it, for two readers of the same
 * container at once (lines printed from a second after both connected): the orchestrator's follow stream (server-sent events) and docker logs -f,
 * the peer. Same machine, same clock.
 *
 * Usage: java LogLatency.java API_URL PASSWORD SERVICE CONTAINER_ID SECONDS
 */
public final class LogLatency {
    private static volatile Instant start;
    private static final Pattern TIME = Pattern.compile("\"time\":\"([^\"]+)\"");

    public static void main(String[] args) throws Exception {
        String api = args[0];
        String password = args[1];
        String service = args[2];
        String container = args[3];
        long seconds = Long.parseLong(args[4]);
        List<Long> ours = Collections.synchronizedList(new ArrayList<>());
        List<Long> docker = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        start = Instant.now().plusSeconds(1); // both readers connected: only lines printed after count

        Thread a = Thread.ofPlatform().start(() -> followOurs(api, password, service, ours, end));
        Thread b = Thread.ofPlatform().start(() -> followDocker(container, docker, end));
        a.join();
        b.join();
        print("orchestrator (SSE)", ours);
        print("docker logs -f", docker);
        System.out.printf("ratio p50 %.2f, p99 %.2f (orchestrator / docker logs -f)%n",
                (double) pct(ours, 50) / pct(docker, 50), (double) pct(ours, 99) / pct(docker, 99));
    }

    private static void followOurs(String api, String password, String service, List<Long> into, long end) {
        try {
            var req = HttpRequest.newBuilder(URI.create(api + "/api/services/" + service + "/logs?follow=true&tail=0&since=1s"))
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(("admin:" + password)
                            .getBytes(StandardCharsets.UTF_8)))
                    .header("Accept", "text/event-stream").build();
            var res = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (var in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                for (String line; System.nanoTime() < end && (line = in.readLine()) != null; ) {
                    Instant now = Instant.now();
                    Matcher m = TIME.matcher(line);
                    if (line.startsWith("data:") && m.find()) {
                        add(into, Instant.parse(m.group(1)), now);
                    }
                }
            }
            res.body().close();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void followDocker(String container, List<Long> into, long end) {
        try {
            Process p = new ProcessBuilder("docker", "logs", "-f", "--timestamps", "--since", "1s", container)
                    .redirectErrorStream(true).start();
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; System.nanoTime() < end && (line = in.readLine()) != null; ) {
                    Instant now = Instant.now();
                    int sp = line.indexOf(' ');
                    if (sp > 0) {
                        add(into, Instant.parse(line.substring(0, sp)), now);
                    }
                }
            }
            p.destroy();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void add(List<Long> into, Instant printed, Instant read) {
        if (!printed.isBefore(start)) {
            into.add(Duration.between(printed, read).toNanos() / 1000);
        }
    }

    private static long pct(List<Long> values, int p) {
        List<Long> s = new ArrayList<>(values);
        Collections.sort(s);
        return s.isEmpty() ? 0 : s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
    }

    private static void print(String what, List<Long> v) {
        System.out.printf("%-20s lines %5d  p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms%n", what, v.size(),
                pct(v, 50) / 1000.0, pct(v, 90) / 1000.0, pct(v, 99) / 1000.0, pct(v, 100) / 1000.0);
    }
}
