package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Each new connection goes to a backend picked uniformly at random; on a connect failure, to
 * the ones after it. {@link ThreadLocalRandom}: no contention between accept threads.
 */
final class RandomChoice implements BalancingPolicy {
    @Override
    public List<Endpoint> order(Candidates candidates, InetSocketAddress client) {
        List<Endpoint> all = candidates.endpoints();
        return all.isEmpty() ? List.of() : Rotated.from(all, ThreadLocalRandom.current().nextInt(all.size()));
    }
}
