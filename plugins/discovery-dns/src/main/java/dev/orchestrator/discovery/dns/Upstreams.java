package dev.orchestrator.discovery.dns;

import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.Address;

/** Parses upstream resolver lists. Stateless; thread-safe; {@link #fromResolvConf} reads a file. */
final class Upstreams {
    /** The standard DNS port, for upstreams given without one. */
    static final int DNS_PORT = 53;

    private Upstreams() {
    }

    /**
     * @param list comma-separated {@code host[:port]}, hosts as IPv4 literals
     * @return the upstreams, in order
     * @throws OrchestratorException {@code INVALID_ARGUMENT} for an entry that is not one
     */
    static List<InetSocketAddress> parse(String list) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String entry = raw.trim();
            if (!entry.isEmpty()) {
                out.add(parseOne(entry));
            }
        }
        return out;
    }

    private static InetSocketAddress parseOne(String entry) {
        int colon = entry.lastIndexOf(':');
        String host = colon < 0 ? entry : entry.substring(0, colon);
        int port = colon < 0 ? DNS_PORT : port(entry, entry.substring(colon + 1));
        return new InetSocketAddress(literal(entry, host), port);
    }

    private static int port(String entry, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw OrchestratorException.invalid("upstream '" + entry + "': port must be 1..65535");
    }

    private static InetAddress literal(String entry, String host) {
        byte[] bytes = Address.toByteArray(host, Address.IPv4);
        if (bytes == null) {
            throw OrchestratorException.invalid("upstream '" + entry + "' is not an IPv4 address[:port]");
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * @param file a resolv.conf
     * @return its IPv4 {@code nameserver} entries on port 53; none if it cannot be read
     */
    static List<InetSocketAddress> fromResolvConf(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
        List<InetSocketAddress> out = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.trim().split("\\s+");
            if (words.length >= 2 && words[0].equals("nameserver")) {
                byte[] bytes = Address.toByteArray(words[1], Address.IPv4);
                if (bytes != null) {
                    out.add(new InetSocketAddress(words[1], DNS_PORT));
                }
            }
        }
        return out;
    }

    /**
     * @return {@code upstreams} without the listener itself (forwarding to it would loop): the
     *         same port at the bound address, or at a loopback address when bound to the wildcard
     */
    static List<InetSocketAddress> withoutSelf(List<InetSocketAddress> upstreams, InetSocketAddress self) {
        return upstreams.stream().filter(u -> !isSelf(u, self)).toList();
    }

    private static boolean isSelf(InetSocketAddress upstream, InetSocketAddress self) {
        if (upstream.getPort() != self.getPort()) {
            return false;
        }
        InetAddress a = upstream.getAddress();
        InetAddress bound = self.getAddress();
        return a.equals(bound) || (bound.isAnyLocalAddress() && (a.isLoopbackAddress() || a.isAnyLocalAddress()));
    }
}
