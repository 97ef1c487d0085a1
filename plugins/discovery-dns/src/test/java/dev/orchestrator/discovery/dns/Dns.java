package dev.orchestrator.discovery.dns;

import dev.orchestrator.api.spi.Endpoint;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.testkit.QuietContext;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;

/** Test helpers: servers on ephemeral loopback ports and a dnsjava client for them. */
final class Dns {
    private Dns() {
    }

    /** @return a started server on 127.0.0.1, port 0, created through the factory */
    static DnsServer start(Map<String, String> settings) {
        Map<String, String> all = new java.util.HashMap<>(Map.of("port", "0", "upstreams", "127.0.0.1:9"));
        all.putAll(settings);
        DnsServer server = new DnsDiscoveryFactory().create(new PluginConfig(all), QuietContext.create());
        server.start();
        return server;
    }

    /** @return a server with defaults (zone internal, ttl 5), upstream a closed port */
    static DnsServer start() {
        return start(Map.of());
    }

    /** @return a dnsjava client of the server, over UDP unless {@code tcp} */
    static SimpleResolver client(int port, boolean tcp) {
        SimpleResolver r = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        r.setTCP(tcp);
        r.setIgnoreTruncation(true);
        r.setTimeout(Duration.ofSeconds(5));
        return r;
    }

    /** Asks one question over UDP. */
    static Message ask(int port, String name, int type) throws IOException {
        return ask(client(port, false), name, type);
    }

    /** Asks one question with this client. */
    static Message ask(SimpleResolver client, String name, int type) throws IOException {
        return client.send(Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN)));
    }

    /** Sends raw bytes over UDP and returns the raw answer, or null after a short wait. */
    static byte[] raw(int port, byte[] packet) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(1000);
            s.send(new DatagramPacket(packet, packet.length, new InetSocketAddress("127.0.0.1", port)));
            byte[] buf = new byte[4096];
            DatagramPacket in = new DatagramPacket(buf, buf.length);
            try {
                s.receive(in);
            } catch (java.net.SocketTimeoutException e) {
                return null;
            }
            return java.util.Arrays.copyOf(buf, in.getLength());
        }
    }

    /** @return {@code count} replicas {@code <service>-<i>} at 10.0.<i/250>.<i%250+1>:port */
    static List<Endpoint> replicas(String service, int count, int port) {
        return IntStream.range(0, count)
                .mapToObj(i -> new Endpoint(service + "-" + i, "10.0." + (i / 250) + "." + (i % 250 + 1), port))
                .toList();
    }

    /** @return the string form of each record's data, e.g. the addresses of A records, sorted */
    static List<String> data(List<Record> records) {
        List<String> out = new ArrayList<>();
        for (Record r : records) {
            out.add(r.rdataToString());
        }
        out.sort(null);
        return out;
    }
}
