package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Reads a request body of at most a given size: a declared {@code Content-Length} over it is
 * refused before a byte is read, and a chunked body is read only up to one byte past it.
 */
final class Bodies {
    private Bodies() {
    }

    /**
     * @param req   the request
     * @param limit the largest body accepted, in bytes
     * @return the body, empty when there is none
     * @throws OrchestratorException {@code PAYLOAD_TOO_LARGE} when it is larger
     */
    static byte[] read(ServerRequest req, long limit) {
        if (!req.content().hasEntity()) {
            return new byte[0];
        }
        long declared = req.headers().contentLength().orElse(-1);
        if (declared > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                throw tooLarge(limit);
            }
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A body is read as JSON only when it says it is, or says nothing: a form or text body is
     * a client's mistake, answered 415 rather than guessed at.
     *
     * @param req the request, with a body
     * @throws OrchestratorException {@code UNSUPPORTED_MEDIA_TYPE} for any other declared type
     */
    static void requireJson(ServerRequest req) {
        var type = req.headers().contentType();
        if (type.isEmpty()) {
            return;
        }
        String subtype = type.get().mediaType().subtype();
        if (!type.get().mediaType().type().equals("application")
                || !(subtype.equals("json") || subtype.endsWith("+json"))) {
            throw new OrchestratorException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "the body must be JSON (Content-Type:"
                    + " application/json), got " + type.get().mediaType().text());
        }
    }

    static OrchestratorException tooLarge(long limit) {
        return new OrchestratorException(ErrorCode.PAYLOAD_TOO_LARGE, "request body larger than " + size(limit)
                + ", the most this route accepts");
    }

    static String size(long bytes) {
        return bytes % Limits.MIB == 0 ? bytes / Limits.MIB + " MiB" : bytes + " bytes";
    }
}
