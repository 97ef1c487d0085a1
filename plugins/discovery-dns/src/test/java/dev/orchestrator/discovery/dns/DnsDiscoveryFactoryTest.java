package dev.orchestrator.discovery.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.ServiceDiscovery;
import dev.orchestrator.api.spi.ServiceDiscoveryFactory;
import dev.orchestrator.testkit.QuietContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Name;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

@Timeout(10)
class DnsDiscoveryFactoryTest {
    @Test
    void isFoundByServiceLoaderOnTheClassPath() {
        List<ServiceDiscoveryFactory> found = ServiceLoader.load(ServiceDiscoveryFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(f -> f.name().equals("dns"))
                .toList();

        assertEquals(1, found.size());
        assertInstanceOf(DnsDiscoveryFactory.class, found.getFirst());
        assertEquals(100, found.getFirst().weight());
    }

    @Test
    void createsAWorkingServerThroughTheSpi() throws IOException {
        ServiceDiscoveryFactory factory = new DnsDiscoveryFactory();
        try (ServiceDiscovery discovery = factory.create(new PluginConfig(Map.of("port", "0", "upstreams", "127.0.0.1:9")),
                QuietContext.create())) {
            discovery.start();
            discovery.update("api", List.of(new Endpoint("api-1", "10.0.0.1", 80)));
            int port = ((DnsServer) discovery).port();

            assertEquals(List.of("10.0.0.1"), Dns.data(Dns.ask(port, "api.internal.", Type.A).getSection(Section.ANSWER)));
        }
    }

    @Test
    void defaults() {
        DnsSettings s = DnsDiscoveryFactory.settings(PluginConfig.EMPTY);

        assertEquals(Name.fromConstantString("internal."), s.zone());
        assertEquals("127.0.0.1", s.address().getHostAddress());
        assertEquals(5353, s.port());
        assertEquals(5, s.ttl());
        assertEquals(List.of(), s.upstreams());
        assertEquals(Duration.ofSeconds(2), s.timeout());
    }

    @Test
    void readsEverySetting() {
        DnsSettings s = DnsDiscoveryFactory.settings(new PluginConfig(Map.of("zone", "Svc.Cluster.", "address", "0.0.0.0",
                "port", "53", "ttl", "3600", "upstreams", "10.0.0.2, 10.0.0.3:5300", "forward-timeout", "500ms")));

        assertEquals("svc.cluster.", s.zone().toString());
        assertTrue(s.address().isAnyLocalAddress());
        assertEquals(53, s.port());
        assertEquals(3600, s.ttl());
        assertEquals(List.of(new InetSocketAddress("10.0.0.2", 53), new InetSocketAddress("10.0.0.3", 5300)), s.upstreams());
        assertEquals(Duration.ofMillis(500), s.timeout());
    }

    @Test
    void refusesBadSettings() {
        for (Map<String, String> bad : List.of(Map.of("ttl", "3601"), Map.of("ttl", "-1"), Map.of("ttl", "5s"),
                Map.of("port", "65536"), Map.of("address", "localhost"), Map.of("zone", "a..b"), Map.of("zone", "."),
                Map.of("upstreams", "dns.example:53"), Map.of("upstreams", "10.0.0.1:0"),
                Map.of("forward-timeout", "1m"))) {
            OrchestratorException e = assertThrows(OrchestratorException.class,
                    () -> DnsDiscoveryFactory.settings(new PluginConfig(bad)), bad.toString());
            assertEquals(ErrorCode.PLUGIN_ERROR, e.code(), bad.toString());
            assertTrue(e.getMessage().contains("dns"), e.getMessage());
        }
    }

    @Test
    void readsNameserversFromResolvConfAndSkipsItself(@TempDir Path dir) throws IOException {
        Path conf = dir.resolve("resolv.conf");
        Files.writeString(conf, "# comment\nsearch internal\nnameserver 127.0.0.1\nnameserver 10.0.0.2\n"
                + "nameserver ::1\noptions ndots:1\n");

        List<InetSocketAddress> all = Upstreams.fromResolvConf(conf);

        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 53), new InetSocketAddress("10.0.0.2", 53)), all);
        assertEquals(List.of(new InetSocketAddress("10.0.0.2", 53)),
                Upstreams.withoutSelf(all, new InetSocketAddress("0.0.0.0", 53)));
        assertEquals(all, Upstreams.withoutSelf(all, new InetSocketAddress("127.0.0.1", 5353)));
        assertEquals(List.of(), Upstreams.fromResolvConf(dir.resolve("missing")));
    }
}
