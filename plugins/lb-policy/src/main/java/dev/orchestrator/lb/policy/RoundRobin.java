package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * Each new connection of a port goes to the next backend in turn; on a connect failure, to
 * the one after it. Stateless: the turn counter is the port's ({@link Candidates#turn()}), so
 * ports sharing this policy do not skew each other's rotation.
 */
final class RoundRobin implements BalancingPolicy {
    @Override
    public List<Endpoint> order(Candidates candidates, InetSocketAddress client) {
        List<Endpoint> all = candidates.endpoints();
        return all.isEmpty() ? List.of() : Rotated.from(all, candidates.turn());
    }
}
