/**
 * The balancing policies: {@code round-robin} (the default), {@code least-connections},
 * {@code random} and {@code hash} (a consistent hash of the client address, so a client sticks
 * to one replica). They only order backends; the load balancer plugin does the I/O.
 *
 * <p>Exports nothing: the kernel only sees the factories through {@code provides}.
 */
module dev.orchestrator.lb.policy {
    requires dev.orchestrator.api;

    provides dev.orchestrator.api.spi.BalancingPolicyFactory
            with dev.orchestrator.lb.policy.RoundRobinFactory,
                 dev.orchestrator.lb.policy.LeastConnectionsFactory,
                 dev.orchestrator.lb.policy.RandomFactory,
                 dev.orchestrator.lb.policy.HashFactory;
}
