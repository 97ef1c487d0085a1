package dev.orchestrator.cli;

/**
 * The server refused a request, answered something unexpected, or could not be reached: printed
 * as one line, exit status 1. The message never contains the password.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ApiException(String message) {
        super(message);
    }
}
