package dev.orchestrator.api;

import static dev.orchestrator.api.Invalid.assertInvalidMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link RestartPolicy#parse} and its wire names. */
class RestartPolicyTest {
    @ParameterizedTest
    @CsvSource({"always, ALWAYS", "on-failure, ON_FAILURE", "never, NEVER"})
    void parsesWireNames(String text, RestartPolicy expected) {
        assertEquals(expected, RestartPolicy.parse(text));
        assertEquals(text, expected.wireName());
    }

    @ParameterizedTest
    @EnumSource(RestartPolicy.class)
    void wireNameRoundTrips(RestartPolicy policy) {
        assertEquals(policy, RestartPolicy.parse(policy.wireName()));
    }

    @Test
    void nullIsTheDefault() {
        assertEquals(RestartPolicy.ALWAYS, RestartPolicy.parse(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ALWAYS", "Always", "on_failure", "ON_FAILURE", "onfailure", "unless-stopped", "",
            " always", "never ", "no"})
    void refused(String text) {
        assertInvalidMessage("restart_policy must be 'always', 'on-failure' or 'never', got '" + text + "'",
                () -> RestartPolicy.parse(text));
    }
}
