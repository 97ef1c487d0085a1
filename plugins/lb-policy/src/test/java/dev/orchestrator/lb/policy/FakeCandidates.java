package dev.orchestrator.lb.policy;

import dev.orchestrator.api.spi.BalancingPolicy;
import dev.orchestrator.api.spi.Endpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/** Candidates whose active counts the test sets by hand. */
final class FakeCandidates implements BalancingPolicy.Candidates {
    private final List<Endpoint> endpoints;
    private final int[] active;
    private final AtomicLong turns = new AtomicLong();

    private FakeCandidates(List<Endpoint> endpoints) {
        this.endpoints = List.copyOf(endpoints);
        this.active = new int[endpoints.size()];
    }

    static FakeCandidates of(List<Endpoint> endpoints) {
        return new FakeCandidates(endpoints);
    }

    /** @return {@code n} endpoints named r0, r1, ... on ports 8000, 8001, ... */
    static List<Endpoint> endpoints(int n) {
        return IntStream.range(0, n).mapToObj(i -> new Endpoint("r" + i, "10.0.0.1", 8000 + i))
                .collect(ArrayList::new, ArrayList::add, ArrayList::addAll);
    }

    FakeCandidates active(int index, int connections) {
        active[index] = connections;
        return this;
    }

    @Override
    public List<Endpoint> endpoints() {
        return endpoints;
    }

    @Override
    public int activeConnections(int index) {
        return active[index];
    }

    @Override
    public long turn() {
        return turns.getAndIncrement();
    }
}
