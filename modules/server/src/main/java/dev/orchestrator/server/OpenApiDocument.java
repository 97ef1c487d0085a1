package dev.orchestrator.server;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * {@code GET /api/openapi.yaml}: the OpenAPI 3 description of the HTTP API, a resource of this
 * module ({@code openapi.yaml}) read once. OpenApiTest checks it against the routes registered.
 */
final class OpenApiDocument {
    /** Where the document lives, relative to this class. */
    static final String RESOURCE = "openapi.yaml";
    private static final byte[] DOCUMENT = read();

    private OpenApiDocument() {
    }

    static void send(ServerRequest req, ServerResponse res) {
        res.header(HeaderNames.CONTENT_TYPE, "application/yaml");
        res.send(DOCUMENT);
    }

    /** @return the document's text */
    static byte[] read() {
        try (InputStream in = OpenApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from " + OpenApiDocument.class.getModule());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
