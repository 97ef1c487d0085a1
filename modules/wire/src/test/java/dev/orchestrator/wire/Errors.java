package dev.orchestrator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.function.Executable;

/** Helpers for the JSON tests: bodies as text, and assertions on error codes and messages. */
final class Errors {
    private Errors() {
    }

    static DeployRequest read(String json) {
        return Wire.read(json.getBytes(StandardCharsets.UTF_8), DeployRequest.class);
    }

    static String write(Object value) {
        return new String(Wire.write(value), StandardCharsets.UTF_8);
    }

    /** Asserts that {@code call} fails with {@code code} and a message containing every fragment. */
    static OrchestratorException assertError(ErrorCode code, Executable call, String... fragments) {
        OrchestratorException e = assertThrows(OrchestratorException.class, call);
        assertEquals(code, e.code(), e::getMessage);
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "message '" + e.getMessage() + "' lacks '" + f + "'");
        }
        return e;
    }
}
