/**
 * The {@code tcp} probe: a replica is healthy when a TCP connection to its health check port
 * succeeds within the timeout.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}. It needs no
 * JDK module beyond {@code java.base}.
 */
module dev.orchestrator.probe.tcp {
    requires dev.orchestrator.api;

    provides dev.orchestrator.api.spi.ProbeFactory
            with dev.orchestrator.probe.tcp.TcpProbeFactory;
}
