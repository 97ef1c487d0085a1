package dev.orchestrator.probe.http;

import dev.orchestrator.api.OrchestratorException;
import java.util.regex.Pattern;

/**
 * The HTTP statuses that count as healthy, {@code min..max} inclusive.
 *
 * @param min the lowest healthy status, 100..599
 * @param max the highest healthy status, min..599
 */
record StatusRange(int min, int max) {
    /** 2xx and 3xx: redirects are not followed, and a redirect still means the server answers. */
    static final StatusRange DEFAULT = new StatusRange(200, 399);

    private static final Pattern FORM = Pattern.compile("(\\d{3})(?:\\s*-\\s*(\\d{3}))?");

    StatusRange {
        if (min < 100 || max > 599 || min > max) {
            throw OrchestratorException.invalid("status range must be within 100-599 and low to high, got "
                    + min + "-" + max);
        }
    }

    /**
     * @param field the setting's name, for the message
     * @param text  {@code 200} or {@code 200-299}
     * @return the range
     * @throws OrchestratorException {@link dev.orchestrator.api.ErrorCode#INVALID_ARGUMENT} if malformed
     */
    static StatusRange parse(String field, String text) {
        var m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw OrchestratorException.invalid(field + " must be a status like '200' or a range like '200-299', got '"
                    + text + "'");
        }
        int min = Integer.parseInt(m.group(1));
        int max = m.group(2) == null ? min : Integer.parseInt(m.group(2));
        try {
            return new StatusRange(min, max);
        } catch (OrchestratorException e) {
            throw OrchestratorException.invalid(field + ": " + e.getMessage());
        }
    }

    boolean contains(int status) {
        return status >= min && status <= max;
    }
}
