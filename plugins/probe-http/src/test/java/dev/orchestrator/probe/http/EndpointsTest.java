package dev.orchestrator.probe.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class EndpointsTest {
    @Test
    @Timeout(5)
    void otherHostsAreUsedAsWritten() {
        assertEquals(URI.create("http://db.internal:5000/ready?x=1"), resolve("http://db.internal:5000/ready?x=1",
                "10.0.0.2", Map.of(5000, 32768)));
    }

    @Test
    @Timeout(5)
    void onABridgeTheContainerPortIsKept() {
        assertEquals(URI.create("http://172.17.0.5:8080/health"), resolve("http://localhost:8080/health",
                "172.17.0.5", Map.of()));
    }

    @Test
    @Timeout(5)
    void onThePublishedPortTheMappedPortIsUsed() {
        assertEquals(URI.create("http://127.0.0.1:32768/health"), resolve("http://localhost:8080/health",
                "127.0.0.1", Map.of(8080, 32768)));
    }

    @Test
    @Timeout(5)
    void httpsDefaultsTo443() {
        assertEquals(URI.create("https://10.0.0.2:32769/"), resolve("HTTPS://localhost", "10.0.0.2",
                Map.of(443, 32769)));
    }

    @Test
    @Timeout(5)
    void theRawPathAndQueryAreKeptAndTheFragmentDropped() {
        assertEquals(URI.create("http://10.0.0.2:80/a%20b/c?next=%2Fx&y"),
                resolve("http://0.0.0.0/a%20b/c?next=%2Fx&y#top", "10.0.0.2", Map.of()));
    }

    @Test
    @Timeout(5)
    void anIpv6AddressIsBracketed() {
        assertEquals(URI.create("http://[fd00::2]:8080/health"), resolve("http://[::1]:8080/health", "fd00::2", Map.of()));
    }

    @Test
    @Timeout(5)
    void aLocalEndpointNeedsAnAddress() {
        var e = assertThrows(IllegalArgumentException.class, () -> resolve("http://localhost/", null, Map.of()));
        assertEquals("replica web-0 has no address", e.getMessage());
    }

    private static URI resolve(String endpoint, String address, Map<Integer, Integer> portMap) {
        return Endpoints.resolve(endpoint, Targets.replica(endpoint, Targets.TIMEOUT, address, portMap));
    }
}
