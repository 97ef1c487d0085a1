/**
 * The {@code round-robin} load balancer: binds a service's published TCP port on the node and
 * forwards each new connection to the next healthy replica, like Docker Swarm's routing mesh.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}. It needs no
 * JDK module beyond {@code java.base}, so it fits the trimmed runtime as is.
 */
module dev.orchestrator.lb.tcp {
    requires dev.orchestrator.api;

    provides dev.orchestrator.api.spi.LoadBalancerFactory
            with dev.orchestrator.lb.tcp.RoundRobinFactory;
}
