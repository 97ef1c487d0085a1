package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Ipv4Cidr;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NetworksTest {
    private static final Ipv4Cidr POOL = Ipv4Cidr.parse("pool", "10.210.0.0/22");
    private static final Ipv4Cidr RANGE = Ipv4Cidr.parse("range", "10.211.0.0/29");
    @TempDir
    Path dir;
    Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void subnetsAreAllottedOncePerNetworkAndNodeAndNeverShared() {
        Subnet a = store.networks().subnet("default", "node-1", POOL);
        Subnet b = store.networks().subnet("default", "node-2", POOL);
        Subnet c = store.networks().subnet("backend", "node-1", POOL);
        assertEquals(new Subnet("default", "node-1", "10.210.0.0/24"), a);
        assertEquals("10.210.1.0/24", b.subnet());
        assertEquals("10.210.2.0/24", c.subnet());
        assertEquals(a, store.networks().subnet("default", "node-1", POOL));
        assertEquals(List.of(c, a, b), store.networks().subnets());
    }

    @Test
    void aFreedSubnetIsReusedAndAFullPoolIsRefused() {
        for (int i = 0; i < 4; i++) {
            store.networks().subnet("n" + i, "node-1", POOL);
        }
        var e = assertThrows(OrchestratorException.class, () -> store.networks().subnet("n4", "node-1", POOL));
        assertEquals(ErrorCode.UNSCHEDULABLE, e.code());
        store.networks().release("n1", "node-1");
        store.networks().release("n1", "node-1");
        assertEquals("10.210.1.0/24", store.networks().subnet("n4", "node-1", POOL).subnet());
    }

    @Test
    void serviceAddressesSkipTheReservedOnesAndGoWithTheService() {
        store.services().put(Fixtures.minimal("api", 1));
        store.services().put(Fixtures.minimal("web", 1));
        assertEquals("10.211.0.2", store.networks().address("api", RANGE, 2));
        assertEquals("10.211.0.3", store.networks().address("web", RANGE, 2));
        assertEquals("10.211.0.2", store.networks().address("api", RANGE, 2));
        assertEquals(Map.of("api", "10.211.0.2", "web", "10.211.0.3"), store.networks().addresses());
        store.services().delete("api");
        assertEquals(Map.of("web", "10.211.0.3"), store.networks().addresses());
    }

    @Test
    void cidrArithmetic() {
        Ipv4Cidr pool = Ipv4Cidr.parse("p", "10.210.0.0/16");
        assertEquals("10.210.7.0/24", pool.subnet(24, 7).toString());
        assertEquals("10.210.7.1", pool.subnet(24, 7).addressAt(1));
        assertEquals(true, pool.contains("10.210.255.9"));
        assertEquals(false, pool.contains("10.211.0.1"));
        assertEquals(true, pool.overlaps(Ipv4Cidr.parse("q", "10.0.0.0/8")));
        assertEquals(false, pool.overlaps(Ipv4Cidr.parse("q", "10.211.0.0/16")));
        assertThrows(OrchestratorException.class, () -> Ipv4Cidr.parse("p", "10.210.0.1/16"));
        assertThrows(OrchestratorException.class, () -> Ipv4Cidr.parse("p", "10.300.0.0/16"));
        assertThrows(OrchestratorException.class, () -> Ipv4Cidr.parse("p", "nonsense"));
    }
}
