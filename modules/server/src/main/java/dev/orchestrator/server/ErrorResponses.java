package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.lang.System.Logger.Level;

/** The one place where error categories become HTTP statuses and JSON bodies. */
final class ErrorResponses {
    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());

    private ErrorResponses() {
    }

    static Status status(ErrorCode code) {
        return switch (code.category()) {
            case USER -> Status.BAD_REQUEST_400;
            case UNAUTHENTICATED -> Status.UNAUTHORIZED_401;
            case FORBIDDEN -> Status.FORBIDDEN_403;
            case NOT_FOUND -> Status.NOT_FOUND_404;
            case CONFLICT -> Status.CONFLICT_409;
            case TOO_LARGE -> Status.REQUEST_ENTITY_TOO_LARGE_413;
            case UNSUPPORTED_MEDIA -> Status.UNSUPPORTED_MEDIA_TYPE_415;
            case THROTTLED -> Status.TOO_MANY_REQUESTS_429;
            case UNPROCESSABLE -> Status.create(422, "Unprocessable Entity");
            case INTERNAL -> Status.INTERNAL_SERVER_ERROR_500;
            case UNAVAILABLE -> Status.SERVICE_UNAVAILABLE_503;
        };
    }

    static void send(ServerResponse res, ErrorCode code, String message) {
        res.status(status(code));
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Wire.write(new Views.Error(code.wireName(), message)));
    }

    static void send(ServerResponse res, OrchestratorException e) {
        if (e.code().category() == ErrorCode.Category.INTERNAL) {
            LOG.log(Level.ERROR, "internal error", e);
            send(res, e.code(), "internal error; see the server log");
            return;
        }
        send(res, e.code(), e.getMessage());
    }

    static void unexpected(ServerResponse res, Throwable t) {
        LOG.log(Level.ERROR, "unexpected error", t);
        send(res, ErrorCode.INTERNAL, "internal error; see the server log");
    }
}
