package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The web dashboard under {@code /ui} (behind the API's basic auth): three fixed files, one
 * HTML page, its script and its style sheet, read once from this module's jar, so the image
 * carries them and nothing outside that set can be asked for. The page talks to {@code /api}
 * from the browser; every answer forbids inline script and foreign origins, and is revalidated
 * by ETag on each load (the files change with the image, not while it runs).
 */
final class UiService implements HttpService {
    /** Only the page's own files, own-origin requests, no inline script or style, no framing. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final HeaderName CONTENT_SECURITY_POLICY = HeaderNames.create("Content-Security-Policy");
    private static final HeaderName REFERRER_POLICY = HeaderNames.create("Referrer-Policy");

    private final Asset page = Asset.load("index.html", "text/html; charset=utf-8");
    private final Asset script = Asset.load("app.js", "text/javascript; charset=utf-8");
    private final Asset style = Asset.load("app.css", "text/css; charset=utf-8");

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", (req, res) -> page.send(req, res))
                .get("/app.js", (req, res) -> script.send(req, res))
                .get("/app.css", (req, res) -> style.send(req, res))
                .any((req, res) -> ErrorResponses.send(res, ErrorCode.NOT_FOUND,
                        "the dashboard has no " + req.path().path() + "; it is at /ui"));
    }

    /** One file of the dashboard with its type and its ETag. */
    private record Asset(byte[] bytes, String type, String etag) {
        static Asset load(String name, String type) {
            try (InputStream in = UiService.class.getResourceAsStream("ui/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("the dashboard's " + name + " is missing from the server's jar");
                }
                byte[] bytes = in.readAllBytes();
                return new Asset(bytes, type, "\"" + HexFormat.of().formatHex(sha256(bytes), 0, 16) + "\"");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void send(ServerRequest req, ServerResponse res) {
            res.header(CONTENT_SECURITY_POLICY, CSP);
            res.header(HeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
            res.header(REFERRER_POLICY, "no-referrer");
            // Behind credentials: never in a shared cache; the browser's copy revalidated each time.
            res.header(HeaderNames.CACHE_CONTROL, "private, no-cache");
            res.header(HeaderNames.ETAG, etag);
            if (req.headers().first(HeaderNames.IF_NONE_MATCH).map(etag::equals).orElse(false)) {
                res.status(Status.NOT_MODIFIED_304).send();
                return;
            }
            res.header(HeaderNames.CONTENT_TYPE, type);
            res.send(bytes);
        }

        private static byte[] sha256(byte[] bytes) {
            try {
                return MessageDigest.getInstance("SHA-256").digest(bytes);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
