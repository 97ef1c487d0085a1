package dev.orchestrator.api;

import static dev.orchestrator.api.Invalid.assertInvalidMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The compact constructor of {@link PortMapping}. */
class PortMappingTest {
    @ParameterizedTest
    @CsvSource({"tcp, tcp", "TCP, tcp", "Tcp, tcp", "udp, udp", "UDP, udp", "uDp, udp"})
    void protocolIsCaseInsensitiveAndNormalised(String given, String expected) {
        assertEquals(expected, new PortMapping(80, 0, given).protocol());
    }

    @Test
    void protocolDefaultsToTcp() {
        assertEquals("tcp", new PortMapping(80, 8080, null).protocol());
        assertEquals(new PortMapping(80, 8080, "tcp"), new PortMapping(80, 8080, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sctp", "http", "", " tcp", "tcp ", "tcp/udp", "6"})
    void onlyTcpAndUdp(String protocol) {
        assertInvalidMessage("ports.protocol must be 'tcp' or 'udp', got '" + protocol + "'",
                () -> new PortMapping(80, 0, protocol));
    }

    @Test
    void hostPortZeroIsUnpublished() {
        PortMapping p = new PortMapping(8080, 0, "tcp");
        assertEquals(0, p.hostPort());
        assertFalse(p.published());
        assertTrue(new PortMapping(8080, 1, "tcp").published());
        assertTrue(new PortMapping(8080, 65535, "udp").published());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 80, 65535})
    void containerPortInRange(int port) {
        assertEquals(port, new PortMapping(port, 0, "tcp").containerPort());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void containerPortOutOfRange(int port) {
        assertInvalidMessage("ports.container_port must be a port in 1..65535, got " + port,
                () -> new PortMapping(port, 8080, "tcp"));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 65536, Integer.MIN_VALUE})
    void hostPortOutOfRange(int port) {
        assertInvalidMessage("ports.host_port must be a port in 1..65535, got " + port,
                () -> new PortMapping(8080, port, "tcp"));
    }
}
