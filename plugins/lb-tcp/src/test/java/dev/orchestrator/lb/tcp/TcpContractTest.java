package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.LoadBalancerFactory;
import dev.orchestrator.testkit.LoadBalancerContract;

/** The {@code tcp} plugin passes the load balancer contract over loopback TCP. */
class TcpContractTest extends LoadBalancerContract {
    @Override
    protected LoadBalancerFactory factory() {
        return new TcpFactory();
    }
}
