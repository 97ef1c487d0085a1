package dev.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Assertions on {@link ErrorCode#INVALID_ARGUMENT} errors. */
final class Invalid {
    private Invalid() {
    }

    /**
     * Asserts that {@code call} throws an {@link ErrorCode#INVALID_ARGUMENT} error whose message
     * contains every fragment.
     */
    static OrchestratorException assertInvalid(Executable call, String... fragments) {
        OrchestratorException e = assertThrows(OrchestratorException.class, call);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e::getMessage);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }

    /** Asserts that {@code call} throws an {@link ErrorCode#INVALID_ARGUMENT} error with exactly this message. */
    static void assertInvalidMessage(String message, Executable call) {
        OrchestratorException e = assertThrows(OrchestratorException.class, call);
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), e::getMessage);
        assertEquals(message, e.getMessage());
    }
}
