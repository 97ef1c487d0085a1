/**
 * The {@code dns} service discovery: an authoritative DNS server for the service zone
 * ({@code <service>.internal} and friends) that forwards every other name upstream, like the
 * embedded DNS of Docker Swarm or Nomad.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}. All DNS wire
 * format is dnsjava's ({@code org.dnsjava}, a real named module in its 3.6.3 jar).
 */
module dev.orchestrator.discovery.dns {
    requires dev.orchestrator.api;
    requires org.dnsjava;

    provides dev.orchestrator.api.spi.ServiceDiscoveryFactory
            with dev.orchestrator.discovery.dns.DnsDiscoveryFactory;
}
