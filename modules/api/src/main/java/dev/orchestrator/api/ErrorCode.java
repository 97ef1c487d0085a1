package dev.orchestrator.api;

import java.util.Locale;

/**
 * Every error the orchestrator reports, with its category. The REST layer maps a category to
 * an HTTP status in one place; the wire form of a code is {@link #wireName()}.
 */
public enum ErrorCode {
    /** A field has a bad value: name, port, size, duration, image reference. */
    INVALID_ARGUMENT(Category.USER),
    /** The request body is not the JSON expected. */
    MALFORMED_REQUEST(Category.USER),
    /** No such service, node or replica. */
    NOT_FOUND(Category.NOT_FOUND),
    /** The request collides with existing state, e.g. a published port already taken. */
    CONFLICT(Category.CONFLICT),
    /** Valid request that cannot be carried out as things are, e.g. no node fits. */
    UNSCHEDULABLE(Category.UNPROCESSABLE),
    /** Missing or wrong credentials. */
    UNAUTHENTICATED(Category.UNAUTHENTICATED),
    /** Valid credentials whose user's role does not allow the request. */
    PERMISSION_DENIED(Category.FORBIDDEN),
    /** The request body is larger than the route accepts. */
    PAYLOAD_TOO_LARGE(Category.TOO_LARGE),
    /** The request body is not JSON ({@code Content-Type} other than {@code application/json}). */
    UNSUPPORTED_MEDIA_TYPE(Category.UNSUPPORTED_MEDIA),
    /** Too many failed attempts, or too many at once: retry after the time the answer says. */
    TOO_MANY_REQUESTS(Category.THROTTLED),
    /** The container runtime failed or is unreachable. */
    RUNTIME_FAILURE(Category.UNAVAILABLE),
    /**
     * The state store cannot take a write now: the data directory's disk is full, or another
     * process holds the database's lock. Reads still work; retry once that is resolved.
     */
    STORE_UNAVAILABLE(Category.UNAVAILABLE),
    /** A plugin is missing, duplicated or broken. */
    PLUGIN_ERROR(Category.INTERNAL),
    /** A bug or an unexpected infrastructure failure. */
    INTERNAL(Category.INTERNAL);

    /** Coarse classes of errors; each maps to one HTTP status. */
    public enum Category {
        /** 400. */ USER,
        /** 401. */ UNAUTHENTICATED,
        /** 403. */ FORBIDDEN,
        /** 404. */ NOT_FOUND,
        /** 409. */ CONFLICT,
        /** 413. */ TOO_LARGE,
        /** 415. */ UNSUPPORTED_MEDIA,
        /** 429. */ THROTTLED,
        /** 422. */ UNPROCESSABLE,
        /** 500. */ INTERNAL,
        /** 503. */ UNAVAILABLE
    }

    private final Category category;

    ErrorCode(Category category) {
        this.category = category;
    }

    /** @return the category that decides the HTTP status */
    public Category category() {
        return category;
    }

    /** @return the code as it appears in JSON error bodies, e.g. {@code invalid_argument} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
