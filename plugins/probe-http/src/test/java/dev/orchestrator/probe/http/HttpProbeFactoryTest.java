package dev.orchestrator.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.PluginConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpProbeFactoryTest {
    @Test
    @Timeout(5)
    void nameAndWeight() {
        assertEquals("http", new HttpProbeFactory().name());
        assertEquals(100, new HttpProbeFactory().weight());
    }

    @Test
    @Timeout(5)
    void createsAnHttpProbe() throws Exception {
        try (var probe = (AutoCloseable) new HttpProbeFactory().create(PluginConfig.EMPTY, null)) {
            assertInstanceOf(HttpProbe.class, probe);
        }
    }

    @Test
    @Timeout(5)
    void readsTheExpectedStatus() {
        assertEquals(new StatusRange(200, 399), expected(Map.of()));
        assertEquals(new StatusRange(200, 200), expected(Map.of("expected-status", "200")));
        assertEquals(new StatusRange(200, 299), expected(Map.of("expected-status", " 200 - 299 ")));
    }

    @ParameterizedTest
    @Timeout(5)
    @ValueSource(strings = {"ok", "2xx", "200-", "99", "300-200", "200-600", "200,204"})
    void aMalformedExpectedStatusIsAPluginError(String value) {
        var e = assertThrows(OrchestratorException.class, () -> expected(Map.of("expected-status", value)));

        assertEquals(ErrorCode.PLUGIN_ERROR, e.code());
        assertTrue(e.getMessage().startsWith("probe plugin http (" + HttpProbeFactory.class.getName()
                + "): expected-status"), e.getMessage());
    }

    private static StatusRange expected(Map<String, String> values) {
        return HttpProbeFactory.expectedStatus(new PluginConfig(values));
    }
}
