package dev.orchestrator.api;

import java.util.Objects;

/**
 * An error that carries an {@link ErrorCode}. The message is meant for the user: it names what
 * was expected and what was found, and it never contains secrets.
 */
public class OrchestratorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The code of this error. */
    private final ErrorCode code;

    /**
     * @param code    the error code, never null
     * @param message a user-facing message
     */
    public OrchestratorException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    /**
     * @param code    the error code, never null
     * @param message a user-facing message
     * @param cause   the underlying failure
     */
    public OrchestratorException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** @return the error code */
    public ErrorCode code() {
        return code;
    }

    /**
     * Shorthand for an {@link ErrorCode#INVALID_ARGUMENT} error.
     *
     * @param message what was expected and what was found
     * @return the exception, for {@code throw}
     */
    public static OrchestratorException invalid(String message) {
        return new OrchestratorException(ErrorCode.INVALID_ARGUMENT, message);
    }
}
