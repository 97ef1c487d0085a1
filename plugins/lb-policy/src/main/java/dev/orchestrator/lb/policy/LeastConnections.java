package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Each new connection goes to the backend with the fewest connections in flight, so a slow
 * replica, which holds its connections longer, gets fewer new ones. Ties are broken in turn
 * (the port's turn counter picks one of the least busy), so idle backends share the load
 * evenly instead of the first one taking it all. On a connect failure, the backends after the chosen one follow
 * in turn: the counts of the others are a moment old by then anyway.
 */
final class LeastConnections implements BalancingPolicy {
    @Override
    public List<Endpoint> order(Candidates candidates, InetSocketAddress client) {
        List<Endpoint> all = candidates.endpoints();
        int n = all.size();
        if (n == 0) {
            return List.of();
        }
        int fewest = Integer.MAX_VALUE;
        int ties = 0;
        for (int i = 0; i < n; i++) {
            int active = candidates.activeConnections(i);
            if (active < fewest) {
                fewest = active;
                ties = 1;
            } else if (active == fewest) {
                ties++;
            }
        }
        int best = nthWith(candidates, n, fewest, (int) (candidates.turn() % ties));
        return Rotated.from(all, best);
    }

    /**
     * @return the index of the {@code nth} (from 0) backend with {@code active} connections, or
     *         of the last one seen if the counts moved since they were read
     */
    private static int nthWith(Candidates candidates, int n, int active, int nth) {
        int seen = 0;
        int last = 0;
        for (int i = 0; i < n; i++) {
            if (candidates.activeConnections(i) == active) {
                if (seen++ == nth) {
                    return i;
                }
                last = i;
            }
        }
        return last;
    }
}
