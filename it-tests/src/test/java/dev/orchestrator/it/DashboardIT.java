package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The web dashboard at {@code /ui} of the image's server, in a real headless Chromium driven
 * over its DevTools protocol: the page, fetched with basic-auth credentials in its URL as a
 * user's browser would after the prompt, renders the running services and nodes; a scale made
 * through the API after the page loaded shows up in its event feed (which only the live
 * stream can bring); the page's own scale action (its prompt and confirmation answered)
 * changes the service, and the API's refusal is shown. A screenshot goes to
 * {@code it-tests/target/dashboard.png} (the one in docs/ is such a screenshot).
 */
class DashboardIT extends ServerTestBase {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theUiIsBehindBasicAuthWithAStrictContentSecurityPolicy() throws Exception {
        HttpResponse<String> anonymous = get("/ui", null);
        assertEquals(401, anonymous.statusCode());
        assertEquals("Basic realm=\"orchestrator\"", anonymous.headers().firstValue("WWW-Authenticate").orElse(""),
                "the challenge that makes a browser prompt");
        assertEquals(401, get("/ui/app.js", null).statusCode());

        HttpResponse<String> page = get("/ui", auth());
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && csp.contains("default-src 'none'")
                && !csp.contains("unsafe-inline"), csp);
        assertEquals("private, no-cache", page.headers().firstValue("Cache-Control").orElse(""));
        assertFalse(page.body().contains("<script>"), "no inline script");
        String etag = page.headers().firstValue("ETag").orElseThrow();

        var again = HttpRequest.newBuilder(URI.create(server.url() + "/ui")).header("Authorization", auth())
                .header("If-None-Match", etag).build();
        assertEquals(304, http.send(again, HttpResponse.BodyHandlers.ofString()).statusCode());

        HttpResponse<String> script = get("/ui/app.js", auth());
        assertEquals(200, script.statusCode());
        assertTrue(script.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
        assertFalse(script.body().contains("innerHTML"), "server text is never parsed as HTML");
        assertEquals(200, get("/ui/app.css", auth()).statusCode());
        assertEquals(404, get("/ui/nothing.html", auth()).statusCode());
    }

    @Test
    void thePageShowsServicesAndNodesFollowsEventsLiveAndScales() throws Exception {
        Path exe = Chromium.executable().orElse(null);
        Assumptions.assumeTrue(exe != null, "chromium is not installed (scripts/test-tools.sh installs it): "
                + "the dashboard's browser test is skipped");
        assertEquals(201, api.post("/api/deploy", """
                {"name": "ui-web", "image": "orchestrator-test/web:1", "replicas": 1}""").status());
        awaitService("ui-web", s -> s.get("running").asInt() == 1, "ui-web running");

        try (Chromium browser = Chromium.start(exe, work.resolve("chromium"), 1400, 1000)) {
            AtomicReference<String> promptAnswer = new AtomicReference<>("3");
            browser.onEvent(e -> {
                if ("Page.javascriptDialogOpening".equals(e.path("method").asText())) {
                    browser.send("Page.handleJavaScriptDialog", Map.of("accept", true,
                            "promptText", promptAnswer.get()));
                }
            });
            browser.call("Page.enable", Map.of());
            // As a browser does after the user answered its basic-auth prompt: every request of
            // the page (its fetches and EventSource streams too) carries the credentials.
            browser.call("Network.enable", Map.of());
            browser.call("Network.setExtraHTTPHeaders", Map.of("headers", Map.of("Authorization", auth())));
            URI url = URI.create(server.url());
            browser.call("Page.navigate", Map.of("url", server.url() + "/ui"));

            awaitDom(browser, "document.querySelector('#services tr[data-service=\"ui-web\"]')?.textContent ?? ''",
                    t -> t.contains("orchestrator-test/web:1") && t.contains("ui-web-0"), "the service's row");
            awaitDom(browser, "document.querySelector('#nodes tr[data-node=\"node-1\"]')?.textContent ?? ''",
                    t -> t.contains("ready") && t.contains("active"), "the node's row");
            awaitDom(browser, "document.getElementById('events-state').textContent", "live"::equals,
                    "the event feed connected");
            String scaled = "Service ui-web scaled from 1 to 2";
            String feed = "document.getElementById('events').textContent";
            assertFalse(browser.eval(feed).asText().contains(scaled), "not before it happens");

            assertEquals(200, api.post("/api/services/ui-web/scale", "{\"replicas\": 2}").status());
            awaitDom(browser, feed, t -> t.contains(scaled), "the scale event in the live feed");
            awaitDom(browser, "document.querySelector('#services tr[data-service=\"ui-web\"]').textContent",
                    t -> t.contains("ui-web-1"), "the new replica");

            // The page's own action: prompt answered 3, confirmation accepted.
            browser.eval("document.querySelector('#services tr[data-service=\"ui-web\"] button').click()");
            awaitService("ui-web", s -> s.get("replicas").asInt() == 3, "scaled to 3 from the page");
            awaitDom(browser, feed, t -> t.contains("Service ui-web scaled from 2 to 3"), "its event");
            // A refusal of the API is shown as the API words it.
            promptAnswer.set("5000");
            browser.eval("document.querySelector('#services tr[data-service=\"ui-web\"] button').click()");
            awaitDom(browser, "document.getElementById('error').hidden ? '' : "
                    + "document.getElementById('error-text').textContent",
                    t -> t.startsWith("invalid_argument: ") && t.contains("5000"), "the API's error shown");
            assertEquals(3, api.get("/api/services/ui-web").json().get("replicas").asInt(), "nothing changed");
            browser.eval("document.getElementById('error-close').click()");

            // Logs: streamed, or the tail polled when the server cannot stream them.
            browser.eval("document.querySelectorAll('#services tr[data-service=\"ui-web\"] button')[2].click()");
            awaitDom(browser, "document.getElementById('logs').textContent",
                    t -> t.contains("ui-web-0 | web: listening on 8080"), "the service's logs");
            awaitService("ui-web", s -> s.get("running").asInt() == 3, "3 running");
            Thread.sleep(3500); // one refresh of the tables after the last change
            JsonNode shot = browser.call("Page.captureScreenshot", Map.of("format", "png"));
            Path png = Path.of("target", "dashboard.png");
            Files.write(png, Base64.getDecoder().decode(shot.get("data").asText()));
        }
    }

    private static void awaitDom(Chromium browser, String expression, java.util.function.Predicate<String> condition,
                                 String what) {
        await(() -> {
            try {
                return browser.eval(expression).asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, condition, Duration.ofSeconds(15), what);
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        var b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String auth() {
        return "Basic " + Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
    }
}
