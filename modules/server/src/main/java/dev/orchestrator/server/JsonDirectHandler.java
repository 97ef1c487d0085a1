package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

/**
 * Helidon's own answers outside routing (a body over the listener's limit, a malformed request
 * line or header) in the API's JSON error form. The message is ours, never the request's text.
 */
final class JsonDirectHandler implements DirectHandler {
    private final Limits limits;

    private JsonDirectHandler(Limits limits) {
        this.limits = limits;
    }

    /**
     * @param handlers the listener's direct handlers being built
     * @param limits   the body limits, for the 413 message
     */
    static void register(DirectHandlers.Builder handlers, Limits limits) {
        var handler = new JsonDirectHandler(limits);
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, handler);
        }
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status status,
                                    ServerResponseHeaders headers, String message) {
        ErrorCode code;
        String text;
        if (status.code() == Status.REQUEST_ENTITY_TOO_LARGE_413.code()) {
            code = ErrorCode.PAYLOAD_TOO_LARGE;
            String path = request.path();
            text = Bodies.tooLarge(path != null && path.startsWith("/api") ? limits.apiBody() : limits.agentBody())
                    .getMessage();
        } else if (status.code() >= 500) {
            code = ErrorCode.INTERNAL;
            text = "internal error; see the server log";
        } else {
            code = ErrorCode.MALFORMED_REQUEST;
            text = "malformed HTTP request (" + status.code() + " " + status.reasonPhrase() + ")";
        }
        headers.set(HeaderNames.CONTENT_TYPE, "application/json");
        return TransportResponse.builder()
                .status(status)
                .headers(headers)
                .entity(Wire.write(new Views.Error(code.wireName(), text)))
                .keepAlive(eventType.keepAlive())
                .build();
    }
}
