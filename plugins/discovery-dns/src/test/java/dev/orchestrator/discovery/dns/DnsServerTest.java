package dev.orchestrator.discovery.dns;

import static dev.orchestrator.discovery.dns.Dns.ask;
import static dev.orchestrator.discovery.dns.Dns.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.Endpoint;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

@Timeout(20)
class DnsServerTest {
    private static final List<Endpoint> API = List.of(
            new Endpoint("api-server-1", "10.0.0.11", 8080),
            new Endpoint("api-server-2", "10.0.0.12", 8080),
            new Endpoint("api-server-3", "10.0.0.12", 9090));

    private DnsServer server;
    private int port;

    @BeforeEach
    void start() {
        server = Dns.start();
        port = server.port();
        server.update("api-server", API);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void serviceNameAnswersEveryHealthyAddressOnce() throws IOException {
        Message m = ask(port, "api-server.internal.", Type.A);

        assertEquals(Rcode.NOERROR, m.getRcode());
        assertTrue(m.getHeader().getFlag(Flags.AA));
        assertEquals(List.of("10.0.0.11", "10.0.0.12"), data(m.getSection(Section.ANSWER)));
    }

    @Test
    void tasksNameAnswersEachReplica() throws IOException {
        Message m = ask(port, "tasks.api-server.internal.", Type.A);

        assertEquals(List.of("10.0.0.11", "10.0.0.12", "10.0.0.12"), data(m.getSection(Section.ANSWER)));
    }

    @Test
    void replicaNameAnswersThatReplica() throws IOException {
        Message m = ask(port, "api-server-2.api-server.internal.", Type.A);

        assertEquals(List.of("10.0.0.12"), data(m.getSection(Section.ANSWER)));
        assertEquals(Rcode.NXDOMAIN, ask(port, "api-server-9.api-server.internal.", Type.A).getRcode());
    }

    @Test
    void srvAnswersTheReplicasOnThatPortWithTheirAddressesInAdditional() throws IOException {
        Message m = ask(port, "_8080._tcp.api-server.internal.", Type.SRV);

        List<Record> srv = m.getSection(Section.ANSWER);
        assertEquals(List.of("0 10 8080 api-server-1.api-server.internal.",
                "0 10 8080 api-server-2.api-server.internal."), data(srv));
        assertInstanceOf(SRVRecord.class, srv.getFirst());
        List<Record> extra = m.getSection(Section.ADDITIONAL).stream().filter(ARecord.class::isInstance).toList();
        assertEquals(List.of("api-server-1.api-server.internal.", "api-server-2.api-server.internal."),
                extra.stream().map(r -> r.getName().toString()).toList());
        assertEquals(List.of("10.0.0.11", "10.0.0.12"), data(extra));
        assertEquals(List.of("0 10 9090 api-server-3.api-server.internal."),
                data(ask(port, "_9090._tcp.api-server.internal.", Type.SRV).getSection(Section.ANSWER)));
    }

    @Test
    void srvForAPortNobodyListensOnIsNodata() throws IOException {
        Message m = ask(port, "_7000._tcp.api-server.internal.", Type.SRV);

        assertEquals(Rcode.NOERROR, m.getRcode());
        assertTrue(m.getSection(Section.ANSWER).isEmpty());
        assertEquals(Rcode.NXDOMAIN, ask(port, "_http._tcp.api-server.internal.", Type.SRV).getRcode());
    }

    @Test
    void multiAddressAnswersAreShuffled() throws IOException {
        server.update("big", Dns.replicas("big", 10, 8080));
        java.util.Set<String> firsts = new java.util.HashSet<>();

        for (int i = 0; i < 50; i++) {
            firsts.add(ask(port, "big.internal.", Type.A).getSection(Section.ANSWER).getFirst().rdataToString());
        }

        assertTrue(firsts.size() > 1, "always first: " + firsts);
    }

    @Test
    void answersCarryTheDefaultTtlOfFiveSeconds() throws IOException {
        Message m = ask(port, "api-server.internal.", Type.A);

        assertTrue(m.getSection(Section.ANSWER).stream().allMatch(r -> r.getTTL() == 5));
    }

    @Test
    void ttlAndZoneAreConfigurable() throws IOException {
        try (DnsServer other = Dns.start(Map.of("ttl", "42", "zone", "Cluster.Local"))) {
            other.update("web", List.of(new Endpoint("web-1", "10.1.0.1", 80)));

            Message m = ask(other.port(), "web.cluster.local.", Type.A);

            assertEquals(List.of("10.1.0.1"), data(m.getSection(Section.ANSWER)));
            assertEquals(42, m.getSection(Section.ANSWER).getFirst().getTTL());
        }
    }

    @Test
    void unknownNameInTheZoneIsNxdomainWithTheZoneSoa() throws IOException {
        Message m = ask(port, "nope.internal.", Type.A);

        assertEquals(Rcode.NXDOMAIN, m.getRcode());
        assertTrue(m.getHeader().getFlag(Flags.AA));
        List<Record> authority = m.getSection(Section.AUTHORITY);
        assertEquals(1, authority.size());
        SOARecord soa = assertInstanceOf(SOARecord.class, authority.getFirst());
        assertEquals("internal.", soa.getName().toString());
        assertEquals(5, soa.getMinimum());
        assertEquals(5, soa.getTTL());
    }

    @Test
    void knownServiceWithoutHealthyReplicasIsNodataNotNxdomain() throws IOException {
        server.update("empty", List.of());

        for (String name : List.of("empty.internal.", "tasks.empty.internal.")) {
            Message m = ask(port, name, Type.A);
            assertEquals(Rcode.NOERROR, m.getRcode(), name);
            assertTrue(m.getSection(Section.ANSWER).isEmpty(), name);
            assertInstanceOf(SOARecord.class, m.getSection(Section.AUTHORITY).getFirst(), name);
        }
    }

    @Test
    void otherTypesOfAKnownNameAreNodata() throws IOException {
        for (int type : new int[] {Type.AAAA, Type.MX, Type.TXT}) {
            Message m = ask(port, "api-server.internal.", type);
            assertEquals(Rcode.NOERROR, m.getRcode());
            assertTrue(m.getSection(Section.ANSWER).isEmpty());
            assertInstanceOf(SOARecord.class, m.getSection(Section.AUTHORITY).getFirst());
        }
        assertTrue(ask(port, "api-server-1.api-server.internal.", Type.AAAA).getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void namesAreCaseInsensitive() throws IOException {
        Message m = ask(port, "API-Server.INTERNAL.", Type.A);

        assertEquals(List.of("10.0.0.11", "10.0.0.12"), data(m.getSection(Section.ANSWER)));
        assertEquals(List.of("10.0.0.12"),
                data(ask(port, "Api-Server-2.api-SERVER.Internal.", Type.A).getSection(Section.ANSWER)));
        server.update("Web", List.of(new Endpoint("Web-1", "10.1.0.1", 80)));
        assertEquals(List.of("10.1.0.1"), data(ask(port, "web-1.web.internal.", Type.A).getSection(Section.ANSWER)));
    }

    @Test
    void updateAndRemoveAreVisibleAtOnce() throws IOException {
        server.update("api-server", List.of(new Endpoint("api-server-7", "10.0.0.77", 8080)));
        assertEquals(List.of("10.0.0.77"), data(ask(port, "api-server.internal.", Type.A).getSection(Section.ANSWER)));

        server.remove("api-server");
        assertEquals(Rcode.NXDOMAIN, ask(port, "api-server.internal.", Type.A).getRcode());
        server.remove("api-server");
    }

    @Test
    void queriesDuringAStormOfUpdatesSeeOneWholeTableOrTheOther() throws Exception {
        List<Endpoint> one = List.of(new Endpoint("w-1", "10.3.0.1", 80));
        List<Endpoint> two = List.of(new Endpoint("w-1", "10.3.0.1", 80), new Endpoint("w-2", "10.3.0.2", 80));
        server.update("w", one);
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread writer = Thread.ofPlatform().start(() -> {
            for (int i = 0; !stop.get(); i++) {
                server.update("w", i % 2 == 0 ? two : one);
            }
        });
        try {
            org.xbill.DNS.SimpleResolver client = Dns.client(port, false);
            for (int i = 0; i < 300; i++) {
                List<String> got = data(ask(client, "tasks.w.internal.", Type.A).getSection(Section.ANSWER));
                assertTrue(got.equals(List.of("10.3.0.1")) || got.equals(List.of("10.3.0.1", "10.3.0.2")), got::toString);
            }
        } finally {
            stop.set(true);
            writer.join();
        }
    }

    @Test
    void badEndpointsAreRefusedAndLeaveTheTableAlone() throws IOException {
        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> server.update("api-server", List.of(new Endpoint("x", "not-an-ip", 80))));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertThrows(OrchestratorException.class, () -> server.update("a.b", List.of()));

        assertEquals(2, ask(port, "api-server.internal.", Type.A).getSection(Section.ANSWER).size());
    }

    @Test
    void apexAnswersSoaAndNs() throws IOException {
        Message soa = ask(port, "internal.", Type.SOA);
        assertInstanceOf(SOARecord.class, soa.getSection(Section.ANSWER).getFirst());

        Message ns = ask(port, "internal.", Type.NS);
        NSRecord record = assertInstanceOf(NSRecord.class, ns.getSection(Section.ANSWER).getFirst());
        assertEquals("ns.internal.", record.getTarget().toString());
        assertEquals(List.of("127.0.0.1"), data(ns.getSection(Section.ADDITIONAL).stream()
                .filter(ARecord.class::isInstance).toList()));
        assertEquals(List.of("127.0.0.1"), data(ask(port, "ns.internal.", Type.A).getSection(Section.ANSWER)));
        assertTrue(ask(port, "internal.", Type.A).getSection(Section.ANSWER).isEmpty());
    }

    @Test
    void soaSerialGrowsWithEveryChange() throws IOException {
        long before = ((SOARecord) ask(port, "internal.", Type.SOA).getSection(Section.ANSWER).getFirst()).getSerial();
        server.update("web", List.of());
        long after = ((SOARecord) ask(port, "internal.", Type.SOA).getSection(Section.ANSWER).getFirst()).getSerial();

        assertTrue(after > before);
    }

    @Test
    void tcpAnswersTheSameAsUdp() throws IOException {
        Message m = ask(Dns.client(port, true), "tasks.api-server.internal.", Type.A);

        assertEquals(3, m.getSection(Section.ANSWER).size());
    }

    @Test
    void aLargeAnswerIsTruncatedOverUdpAndCompleteOverTcp() throws IOException {
        server.update("big", Dns.replicas("big", 60, 8080));

        org.xbill.DNS.SimpleResolver classic = Dns.client(port, false);
        classic.setEDNS(-1); // no OPT record: the 512-byte limit
        Message udp = ask(classic, "tasks.big.internal.", Type.A);
        assertTrue(udp.getHeader().getFlag(Flags.TC));
        assertTrue(udp.getSection(Section.ANSWER).size() < 60);

        Message edns = ask(port, "_8080._tcp.big.internal.", Type.SRV); // dnsjava sends EDNS 1280 by default
        assertTrue(edns.getHeader().getFlag(Flags.TC));

        Message tcp = ask(Dns.client(port, true), "tasks.big.internal.", Type.A);
        assertFalse(tcp.getHeader().getFlag(Flags.TC));
        assertEquals(60, tcp.getSection(Section.ANSWER).size());

        Message srv = ask(Dns.client(port, true), "_8080._tcp.big.internal.", Type.SRV);
        assertEquals(60, srv.getSection(Section.ANSWER).size());
        assertEquals(60, srv.getSection(Section.ADDITIONAL).stream().filter(ARecord.class::isInstance).count());
    }

    @Test
    void aClientThatRetriesOverTcpGetsTheFullAnswer() throws IOException {
        server.update("big", Dns.replicas("big", 60, 8080));
        org.xbill.DNS.SimpleResolver client = Dns.client(port, false);
        client.setEDNS(-1);
        client.setIgnoreTruncation(false);

        assertEquals(60, ask(client, "tasks.big.internal.", Type.A).getSection(Section.ANSWER).size());
    }

    @Test
    void ednsClientsGetUpToTheirPayloadSizeOverUdp() throws IOException {
        server.update("mid", Dns.replicas("mid", 40, 8080)); // ~670 bytes: over 512, under 1232
        org.xbill.DNS.SimpleResolver client = Dns.client(port, false);
        client.setEDNS(0, 1232, 0, List.of());

        Message m = ask(client, "tasks.mid.internal.", Type.A);

        assertFalse(m.getHeader().getFlag(Flags.TC));
        assertEquals(40, m.getSection(Section.ANSWER).size());
        assertNotNull(m.getOPT());
    }
}
