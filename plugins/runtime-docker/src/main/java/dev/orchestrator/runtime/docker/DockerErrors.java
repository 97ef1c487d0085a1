package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.exception.DockerException;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns docker-java failures into {@link OrchestratorException}s with readable messages. */
final class DockerErrors {
    /** docker-java renders an API error as {@code Status 404: {"message":"..."}}. */
    private static final Pattern API_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private DockerErrors() {
    }

    /**
     * @param host   the Docker host, named when Docker could not be reached at all
     * @param action what was attempted, e.g. {@code start container}
     * @param target the container or image it was attempted on
     * @param cause  the failure
     * @return a {@link ErrorCode#RUNTIME_FAILURE} naming the operation and its target
     */
    static OrchestratorException failure(String host, String action, String target, Throwable cause) {
        String where = cause instanceof DockerException ? "docker" : "docker at " + host;
        return new OrchestratorException(ErrorCode.RUNTIME_FAILURE,
                where + ": cannot " + action + " " + target + ": " + reason(cause), cause);
    }

    /**
     * @param code    the error code
     * @param message what went wrong
     * @param cause   the docker-java failure
     * @return an error with Docker's own reason appended
     */
    static OrchestratorException of(ErrorCode code, String message, Throwable cause) {
        return new OrchestratorException(code, message + ": " + reason(cause), cause);
    }

    /**
     * @param e a failure
     * @return Docker's message for API errors, else the deepest cause's message
     */
    static String reason(Throwable e) {
        if (e instanceof DockerException d) {
            return apiMessage(d.getMessage());
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage();
        return text == null || text.isBlank() ? root.getClass().getSimpleName() : text;
    }

    /**
     * @param text docker-java's exception message
     * @return the {@code message} field of the JSON body, or the text itself trimmed
     */
    static String apiMessage(String text) {
        if (text == null) {
            return "no message";
        }
        Matcher m = API_MESSAGE.matcher(text);
        if (!m.find()) {
            return text.strip();
        }
        return m.group(1).replace("\\\"", "\"").replace("\\\\", "\\").strip();
    }
}
