package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The advertised address a node picks when none is given. */
class LocalAddressTest {
    @TempDir
    Path dir;

    @Test
    void anAgentOfAServerOnLoopbackAdvertisesLoopback() {
        assertEquals("127.0.0.1", LocalAddress.towards(URI.create("http://127.0.0.1:8080")));
        String mine = LocalAddress.forServer("0.0.0.0"); // this host's default-route address
        assertEquals(mine, LocalAddress.towards(URI.create("http://" + mine + ":8080")),
                "an agent beside a server on this host's address advertises that address");
    }

    @Test
    void aServerBoundToOneAddressAdvertisesIt() {
        assertEquals("10.1.2.3", LocalAddress.forServer("10.1.2.3"));
    }

    @Test
    void theDefaultRoutesInterfaceIsReadFromTheRoutingTable() throws Exception {
        Path table = dir.resolve("route");
        Files.writeString(table, """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                """);
        assertEquals(Optional.of("eth0"), LocalAddress.defaultRouteInterface(table));
        assertEquals(Optional.empty(), LocalAddress.defaultRouteInterface(dir.resolve("missing")));
    }
}
