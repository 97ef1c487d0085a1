package dev.orchestrator.server;

import dev.orchestrator.cluster.CaPin;
import dev.orchestrator.pki.ClusterCa;
import io.helidon.common.tls.Tls;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The TLS nodes reach the server over: the cluster CA (made on the first start, under the data
 * directory) and a certificate it issues at every start for a fresh key, with the subject
 * {@link CaPin#SERVER_COMMON_NAME} that agents check (they do not match host names, so an agent
 * may reach the server by any address: NAT, a DNS name), and, for other clients such as
 * {@code curl --cacert}, the host's names and the addresses of its interfaces. Immutable.
 *
 * @param ca  the cluster CA
 * @param pin its pin, which join tokens carry
 * @param tls the cluster listener's TLS
 */
record ClusterTls(ClusterCa ca, String pin, Tls tls) {
    /** Where the CA is kept, under the server's data directory. */
    static final String CA_DIR = "cluster-ca";
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final System.Logger LOG = System.getLogger(ClusterTls.class.getName());

    /**
     * @param dataDir the server's data directory
     * @param extra   another address the certificate names (the advertised one), or null
     * @param now     the time
     * @return the CA (made if missing) and a new certificate for this start
     */
    static ClusterTls open(Path dataDir, String extra, Instant now) {
        ClusterCa ca = ClusterCa.open(dataDir.resolve(CA_DIR), now);
        Set<String> names = new LinkedHashSet<>(List.of("localhost"));
        Set<InetAddress> addresses = new LinkedHashSet<>();
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException e) {
            LOG.log(System.Logger.Level.DEBUG, "no host name for the cluster certificate: " + e.getMessage());
        }
        addresses.addAll(interfaceAddresses());
        if (extra != null && !extra.isBlank()) {
            try {
                addresses.add(InetAddress.getByName(extra));
            } catch (UnknownHostException e) {
                names.add(extra);
            }
        }
        ClusterCa.Issued issued = ca.issue(CaPin.SERVER_COMMON_NAME, List.copyOf(names), List.copyOf(addresses), now,
                VALIDITY);
        Tls tls = Tls.builder().privateKey(issued.key()).privateKeyCertChain(issued.chain()).build();
        return new ClusterTls(ca, CaPin.of(ca.certificate()), tls);
    }

    private static List<InetAddress> interfaceAddresses() {
        var out = new ArrayList<InetAddress>();
        try {
            for (NetworkInterface i : NetworkInterface.networkInterfaces().toList()) {
                if (i.isUp()) {
                    i.inetAddresses().filter(a -> !a.isLinkLocalAddress()).forEach(out::add);
                }
            }
        } catch (SocketException e) {
            LOG.log(System.Logger.Level.DEBUG, "no interface addresses for the cluster certificate: " + e.getMessage());
        }
        return out;
    }
}
