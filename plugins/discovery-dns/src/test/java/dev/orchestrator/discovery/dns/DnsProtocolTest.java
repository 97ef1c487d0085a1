package dev.orchestrator.discovery.dns;

import static dev.orchestrator.discovery.dns.Dns.ask;
import static dev.orchestrator.discovery.dns.Dns.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.Endpoint;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

@Timeout(30)
class DnsProtocolTest {
    @Test
    void namesOutsideTheZoneAreForwardedToTheUpstream() throws IOException {
        try (FakeUpstream upstream = FakeUpstream.answering();
             DnsServer server = Dns.start(Map.of("upstreams", "127.0.0.1:" + upstream.port()))) {
            server.update("api-server", List.of(new Endpoint("api-server-1", "10.0.0.11", 8080)));

            Message outside = ask(server.port(), "example.org.", Type.A);
            assertEquals(Rcode.NOERROR, outside.getRcode());
            assertFalse(outside.getHeader().getFlag(Flags.AA));
            assertEquals(List.of("192.0.2.1"), data(outside.getSection(Section.ANSWER)));

            // a bare service name is answered here, as Swarm does; any other bare name goes upstream
            assertEquals(List.of("10.0.0.11"), data(ask(server.port(), "api-server.", Type.A).getSection(Section.ANSWER)));
            assertEquals(List.of("192.0.2.1"), data(ask(server.port(), "other.", Type.A).getSection(Section.ANSWER)));
            assertEquals(List.of("192.0.2.1"), data(ask(Dns.client(server.port(), true), "example.org.", Type.A)
                    .getSection(Section.ANSWER)));
            assertEquals(3, upstream.queries());
        }
    }

    @Test
    void aDeadUpstreamGivesServfail() throws IOException {
        try (DnsServer server = Dns.start(Map.of("upstreams", "127.0.0.1:9"))) {
            assertEquals(Rcode.SERVFAIL, ask(server.port(), "example.org.", Type.A).getRcode());
        }
    }

    @Test
    void aSilentUpstreamGivesServfailAfterTheTimeoutWithoutHoldingZoneAnswersBack() throws Exception {
        try (FakeUpstream upstream = FakeUpstream.silent();
             DnsServer server = Dns.start(Map.of("upstreams", "127.0.0.1:" + upstream.port(),
                     "forward-timeout", "1s"))) {
            server.update("api-server", List.of(new Endpoint("api-server-1", "10.0.0.11", 8080)));
            long t0 = System.nanoTime();
            java.util.concurrent.CompletableFuture<Message> outside = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> askQuietly(server.port(), "example.org."));
            while (upstream.queries() == 0) {
                Thread.sleep(5); // the forward is now in flight
            }

            Message inside = ask(server.port(), "api-server.internal.", Type.A);
            long insideNanos = System.nanoTime() - t0;

            assertEquals(Rcode.NOERROR, inside.getRcode());
            assertTrue(insideNanos < 900_000_000L, "a zone answer waited for the forward: " + insideNanos);
            assertEquals(Rcode.SERVFAIL, outside.get().getRcode());
            assertTrue(System.nanoTime() - t0 < 4_000_000_000L);
        }
    }

    private static Message askQuietly(int port, String name) {
        try {
            return ask(port, name, Type.A);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aTcpClientThatSendsNothingIsDisconnectedAfterTheReadTimeout() throws IOException {
        try (DnsServer server = Dns.start();
             java.net.Socket idle = new java.net.Socket("127.0.0.1", server.port())) {
            idle.setSoTimeout(10_000);
            long t0 = System.nanoTime();

            assertEquals(-1, idle.getInputStream().read());

            long waited = System.nanoTime() - t0;
            assertTrue(waited >= 4_000_000_000L && waited < 8_000_000_000L, "closed after " + waited + " ns");
        }
    }

    @Test
    void theListenerItselfIsNeverAnUpstream() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (DnsServer server = Dns.start(Map.of("port", String.valueOf(port), "upstreams", "127.0.0.1:" + port))) {
            assertEquals(Rcode.SERVFAIL, ask(server.port(), "example.org.", Type.A).getRcode());
        }
    }

    @Test
    void garbageIsDroppedOrFormerrAndServingGoesOn() throws IOException {
        try (DnsServer server = Dns.start()) {
            server.update("web", List.of(new Endpoint("web-1", "10.1.0.1", 80)));

            assertNull(Dns.raw(server.port(), new byte[] {1, 2, 3}));
            byte[] header = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                (byte) 0xff, (byte) 0xff, (byte) 0xff};
            byte[] formerr = Dns.raw(server.port(), header);
            assertNotNull(formerr);
            Message m = new Message(formerr);
            assertEquals(0x1234, m.getHeader().getID());
            assertEquals(Rcode.FORMERR, m.getRcode());

            assertEquals(List.of("10.1.0.1"), data(ask(server.port(), "web.internal.", Type.A).getSection(Section.ANSWER)));
        }
    }

    @Test
    void garbageOverTcpClosesThatConnectionOnly() throws IOException {
        try (DnsServer server = Dns.start();
             java.net.Socket s = new java.net.Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(new byte[] {0, 3, 1, 2, 3});
            s.setSoTimeout(2000);
            assertEquals(-1, s.getInputStream().read());

            server.update("web", List.of(new Endpoint("web-1", "10.1.0.1", 80)));
            assertEquals(1, ask(Dns.client(server.port(), true), "web.internal.", Type.A).getSection(Section.ANSWER).size());
        }
    }

    @Test
    void anOpcodeOtherThanQueryIsNotimp() throws IOException {
        try (DnsServer server = Dns.start()) {
            Message notify = Message.newQuery(Record.newRecord(Name.fromString("internal."), Type.SOA, DClass.IN));
            notify.getHeader().setOpcode(Opcode.NOTIFY);

            Message m = new Message(Dns.raw(server.port(), notify.toWire()));

            assertEquals(Rcode.NOTIMP, m.getRcode());
            assertEquals(notify.getHeader().getID(), m.getHeader().getID());
        }
    }

    @Test
    void moreThanOneQuestionIsFormerr() throws IOException {
        try (DnsServer server = Dns.start()) {
            Message two = Message.newQuery(Record.newRecord(Name.fromString("a.internal."), Type.A, DClass.IN));
            two.addRecord(Record.newRecord(Name.fromString("b.internal."), Type.A, DClass.IN), Section.QUESTION);

            assertEquals(Rcode.FORMERR, new Message(Dns.raw(server.port(), two.toWire())).getRcode());
        }
    }

    @Test
    void aZoneNameInAnotherClassIsRefused() throws IOException {
        try (DnsServer server = Dns.start()) {
            Message chaos = Message.newQuery(Record.newRecord(Name.fromString("api.internal."), Type.A, DClass.CH));

            assertEquals(Rcode.REFUSED, new Message(Dns.raw(server.port(), chaos.toWire())).getRcode());
        }
    }

    @Test
    void aTakenPortIsAConflict() throws IOException {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = taken.getLocalPort();
            DnsServer server = new DnsDiscoveryFactory().create(new dev.orchestrator.api.spi.PluginConfig(
                    Map.of("port", String.valueOf(port))), dev.orchestrator.testkit.QuietContext.create());

            OrchestratorException e = assertThrows(OrchestratorException.class, server::start);

            assertEquals(ErrorCode.CONFLICT, e.code());
            assertTrue(e.getMessage().contains("already in use"), e.getMessage());
            server.close();
        }
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            DnsServer server = Dns.start(Map.of()); // sanity: ephemeral still works
            server.close();
            DnsServer clash = new DnsDiscoveryFactory().create(new dev.orchestrator.api.spi.PluginConfig(
                    Map.of("port", String.valueOf(taken.getLocalPort()))), dev.orchestrator.testkit.QuietContext.create());
            assertEquals(ErrorCode.CONFLICT, assertThrows(OrchestratorException.class, clash::start).code());
            clash.close();
        }
    }

    @Test
    void closeReleasesThePortAndIsIdempotent() throws IOException {
        for (int round = 0; round < 20; round++) {
            DnsServer server = Dns.start();
            int port = server.port();
            ask(port, "x.internal.", Type.A); // the loops have been busy on both sockets
            ask(Dns.client(port, true), "x.internal.", Type.A);
            server.close();
            server.close();

            try (DnsServer again = Dns.start(Map.of("port", String.valueOf(port)))) {
                assertEquals(port, again.port());
                assertEquals(Rcode.NXDOMAIN, ask(port, "x.internal.", Type.A).getRcode());
            }
            assertThrows(OrchestratorException.class, server::start);
        }
    }

    @Test
    void aStableAddressAnswersTheNameAndTheReplicasTheirOwnNames() throws IOException {
        try (DnsServer server = Dns.start(Map.of())) {
            server.update("api", "10.211.0.7", List.of(new Endpoint("api-0", "10.210.0.2", 8080),
                    new Endpoint("api-0", "10.210.0.2", 9090), new Endpoint("api-1", "10.210.1.2", 8080),
                    new Endpoint("api-1", "10.210.1.2", 9090)));
            assertEquals(List.of("10.211.0.7"), data(ask(server.port(), "api.internal.", Type.A)
                    .getSection(Section.ANSWER)));
            assertEquals(List.of("10.211.0.7"), data(ask(server.port(), "api.", Type.A).getSection(Section.ANSWER)));
            assertEquals(List.of("10.210.0.2", "10.210.1.2"), data(ask(server.port(), "tasks.api.internal.", Type.A)
                    .getSection(Section.ANSWER)).stream().sorted().toList());
            assertEquals(List.of("10.210.1.2"), data(ask(server.port(), "api-1.api.internal.", Type.A)
                    .getSection(Section.ANSWER)));
            assertEquals(2, ask(server.port(), "_9090._tcp.api.internal.", Type.SRV).getSection(Section.ANSWER).size());
            server.update("bare", "10.211.0.8", List.of(new Endpoint("bare-0", "10.210.0.3", 0)));
            assertEquals(List.of("10.210.0.3"), data(ask(server.port(), "tasks.bare.internal.", Type.A)
                    .getSection(Section.ANSWER)));
            assertEquals(0, ask(server.port(), "_80._tcp.bare.internal.", Type.SRV).getSection(Section.ANSWER).size());
        }
    }
}
