package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.util.regex.Pattern;

/** Argument checks shared by the records; each throws {@code INVALID_ARGUMENT} naming the field. */
final class Checks {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,252}");

    private Checks() {
    }

    /** A value that must be given, such as a replica's state. */
    static <T> T required(String field, T value) {
        if (value == null) {
            throw OrchestratorException.invalid(field + " is required");
        }
        return value;
    }

    /** A node, user or setting name: 1..253 characters of letters, digits and {@code . _ @ -}. */
    static String name(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw OrchestratorException.invalid(field + " must be 1-253 characters of letters, digits, '.', '_',"
                    + " '@' and '-', starting with a letter or digit, got " + quote(value));
        }
        return value;
    }

    /** A count or size that may be zero. */
    static long nonNegative(String field, long value) {
        if (value < 0) {
            throw OrchestratorException.invalid(field + " must not be negative, got " + value);
        }
        return value;
    }

    /** A revision or similar counter that starts at 1. */
    static long positive(String field, long value) {
        if (value < 1) {
            throw OrchestratorException.invalid(field + " must be at least 1, got " + value);
        }
        return value;
    }

    private static String quote(String value) {
        if (value == null) {
            return "nothing";
        }
        return "'" + (value.length() <= 80 ? value : value.substring(0, 77) + "...") + "'";
    }
}
