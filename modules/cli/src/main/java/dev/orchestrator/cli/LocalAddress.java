package dev.orchestrator.cli;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The address a node advertises when none is given: the one other machines can reach it at,
 * not 127.0.0.1 (an agent on a second machine that advertised loopback would get replicas no
 * other node can route to). Both answers come from the kernel's routing table; nothing is sent.
 *
 * <p>Stateless; blocking only on a name lookup of the server's host.
 */
final class LocalAddress {
    static final String LOOPBACK = "127.0.0.1";

    private LocalAddress() {
    }

    /**
     * @param server the server's URL
     * @return this host's IPv4 address on the route to the server (127.0.0.1 for a server on
     *         loopback), or 127.0.0.1 when there is no route
     */
    static String towards(URI server) {
        if (server == null || server.getHost() == null) {
            return LOOPBACK;
        }
        try (var socket = new DatagramSocket()) {
            // A UDP "connect" only asks the kernel which route and source address it would use.
            socket.connect(new InetSocketAddress(InetAddress.getByName(server.getHost()),
                    server.getPort() > 0 ? server.getPort() : 80));
            InetAddress local = socket.getLocalAddress();
            return local instanceof Inet4Address && !local.isAnyLocalAddress() ? local.getHostAddress() : LOOPBACK;
        } catch (IOException | RuntimeException e) {
            return LOOPBACK;
        }
    }

    /**
     * @param bind the address the server listens on
     * @return that address when it is a specific one, else the IPv4 address of the interface of
     *         the default route, else 127.0.0.1
     */
    static String forServer(String bind) {
        if (bind != null && !bind.isBlank() && !bind.equals("0.0.0.0") && !bind.equals("::")) {
            return bind;
        }
        return defaultRouteInterface(Path.of("/proc/net/route")).flatMap(LocalAddress::ipv4Of).orElse(LOOPBACK);
    }

    /** @return the interface of the IPv4 default route in a {@code /proc/net/route} table */
    static Optional<String> defaultRouteInterface(Path table) {
        try {
            List<String> lines = Files.readAllLines(table);
            return lines.stream().skip(1).map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 7 && f[1].equals("00000000") && f[7].equals("00000000"))
                    .map(f -> f[0]).findFirst();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> ipv4Of(String name) {
        try {
            NetworkInterface nic = NetworkInterface.getByName(name);
            return nic == null ? Optional.empty() : nic.inetAddresses().filter(a -> a instanceof Inet4Address)
                    .map(InetAddress::getHostAddress).findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
