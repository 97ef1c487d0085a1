/**
 * The {@code tcp} load balancer: binds a service's published TCP port on the node and forwards
 * each new connection to a healthy replica, like Docker Swarm's routing mesh. It is the
 * transport; the replica is chosen by the service's balancing policy (plugins of kind
 * {@code balancing-policy}), which comes with each publish.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}. It needs no
 * JDK module beyond {@code java.base}, so it fits the trimmed runtime as is.
 */
module dev.orchestrator.lb.tcp {
    requires dev.orchestrator.api;

    provides dev.orchestrator.api.spi.LoadBalancerFactory
            with dev.orchestrator.lb.tcp.TcpFactory;
}
