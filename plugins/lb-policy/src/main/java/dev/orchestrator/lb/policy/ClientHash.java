package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

/**
 * Sticky sessions: every connection from one client IP address goes to the same backend, as
 * long as that backend is there. Rendezvous (highest random weight) hashing: each backend
 * scores {@code mix(client, backend)} and the highest score wins. Removing a backend moves
 * only its own clients (each to its second-highest score), adding one takes about 1/n of the
 * clients from the others, and every node computes the same choice without shared state. The
 * fallback order on a connect failure is the descending score, so it is sticky too. The port
 * of the client is left out: a client opens each connection from a new port.
 */
final class ClientHash implements BalancingPolicy {
    @Override
    public List<Endpoint> order(Candidates candidates, InetSocketAddress client) {
        List<Endpoint> all = candidates.endpoints();
        int n = all.size();
        if (n <= 1) {
            return all;
        }
        long key = clientKey(client);
        // Score in the high bits, index in the low ones: one primitive sort, no boxing. The
        // order is the signed one, which is as good a total order of scores as any.
        int bits = 64 - Long.numberOfLeadingZeros(n - 1);
        long mask = (1L << bits) - 1;
        long[] ranked = new long[n];
        for (int i = 0; i < n; i++) {
            ranked[i] = (mix(key ^ backendKey(all.get(i))) & ~mask) | i;
        }
        Arrays.sort(ranked);
        Endpoint[] order = new Endpoint[n];
        for (int r = 0; r < n; r++) {
            order[r] = all.get((int) (ranked[n - 1 - r] & mask)); // highest score first
        }
        return Arrays.asList(order);
    }

    /** FNV-1a over the address bytes; 0 for an unknown client (all such go one way). */
    static long clientKey(InetSocketAddress client) {
        InetAddress address = client == null ? null : client.getAddress();
        if (address == null) {
            return 0;
        }
        long h = 0xcbf29ce484222325L;
        for (byte b : address.getAddress()) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return h;
    }

    /** Every field of the endpoint counts: two revisions of one replica may run side by side. */
    private static long backendKey(Endpoint e) {
        long h = e.replica().hashCode();
        h = h * 0x9E3779B97F4A7C15L + e.host().hashCode();
        h = h * 0x9E3779B97F4A7C15L + e.port();
        return mix(h);
    }

    /** The SplitMix64 finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
