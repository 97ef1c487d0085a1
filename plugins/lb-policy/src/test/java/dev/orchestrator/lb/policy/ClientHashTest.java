package dev.orchestrator.lb.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClientHashTest {
    private static final int CLIENTS = 6000;
    private final BalancingPolicy policy = new HashFactory().create(null, null);

    @Test
    void ordersEveryBackendOnce() {
        PolicyAssertions.ordersEveryBackendOnce(policy);
    }

    @Test
    void aClientSticksToOneBackendWhateverItsPortAndTheOrderOfBackends() {
        List<Endpoint> all = FakeCandidates.endpoints(5);
        List<Endpoint> reversed = new ArrayList<>(all.reversed());
        for (int c = 0; c < 100; c++) {
            Endpoint first = choose(all, client(c, 40000));
            for (int port = 40001; port < 40010; port++) {
                assertEquals(first, choose(all, client(c, port)));
            }
            assertEquals(first, choose(reversed, client(c, 40000)), "the published order does not matter");
        }
    }

    @Test
    void spreadsClientsRoughlyEvenly() {
        Map<Endpoint, Integer> counts = assign(FakeCandidates.endpoints(4)).values().stream()
                .collect(HashMap::new, (m, e) -> m.merge(e, 1, Integer::sum), HashMap::putAll);

        assertEquals(4, counts.size(), counts.toString());
        counts.values().forEach(n -> assertTrue(Math.abs(n - CLIENTS / 4) < CLIENTS / 20, counts.toString()));
    }

    @Test
    void removingABackendMovesOnlyItsClients() {
        List<Endpoint> all = FakeCandidates.endpoints(5);
        Map<InetSocketAddress, Endpoint> before = assign(all);
        Endpoint gone = all.get(2);
        List<Endpoint> rest = new ArrayList<>(all);
        rest.remove(gone);

        Map<InetSocketAddress, Endpoint> after = assign(rest);

        int moved = 0;
        for (var e : before.entrySet()) {
            if (e.getValue().equals(gone)) {
                moved++;
                // Its second choice before is its first choice now.
                assertEquals(policy.order(FakeCandidates.of(all), e.getKey()).get(1), after.get(e.getKey()));
            } else {
                assertEquals(e.getValue(), after.get(e.getKey()), "a client of a remaining backend stays");
            }
        }
        assertTrue(moved > CLIENTS / 10, "the removed backend had its share: " + moved);
    }

    @Test
    void addingABackendTakesAboutItsShareFromTheOthersOnly() {
        List<Endpoint> four = FakeCandidates.endpoints(4);
        List<Endpoint> five = FakeCandidates.endpoints(5);
        Map<InetSocketAddress, Endpoint> before = assign(four);
        Map<InetSocketAddress, Endpoint> after = assign(five);

        long moved = before.keySet().stream().filter(c -> !before.get(c).equals(after.get(c))).count();
        before.keySet().stream().filter(c -> !before.get(c).equals(after.get(c)))
                .forEach(c -> assertEquals(five.get(4), after.get(c), "a client moves only to the new backend"));
        assertTrue(Math.abs(moved - CLIENTS / 5) < CLIENTS / 20, "about 1/5 moved: " + moved);
    }

    @Test
    void theFallbackOrderIsStickyToo() {
        List<Endpoint> all = FakeCandidates.endpoints(4);
        var c = client(1, 1);
        assertEquals(policy.order(FakeCandidates.of(all), c), policy.order(FakeCandidates.of(all), client(1, 2)));
        assertNotEquals(policy.order(FakeCandidates.of(all), c).get(0), policy.order(FakeCandidates.of(all), c).get(1));
    }

    private Map<InetSocketAddress, Endpoint> assign(List<Endpoint> backends) {
        Map<InetSocketAddress, Endpoint> out = new HashMap<>();
        for (int c = 0; c < CLIENTS; c++) {
            out.put(client(c, 1), choose(backends, client(c, 1)));
        }
        return out;
    }

    private Endpoint choose(List<Endpoint> backends, InetSocketAddress client) {
        return policy.order(FakeCandidates.of(backends), client).getFirst();
    }

    /** Distinct IPv4 addresses in 10.x.y.z, without DNS. */
    private static InetSocketAddress client(int n, int port) {
        byte[] ip = {10, (byte) (n >> 16), (byte) (n >> 8), (byte) n};
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(ip), port);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
