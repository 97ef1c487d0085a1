package dev.orchestrator.node;

import dev.orchestrator.cluster.CaPin;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;
import javax.security.auth.x500.X500Principal;

/**
 * How an agent verifies the server's cluster listener: its certificate chain must lead, by the
 * JDK's PKIX validation, to the cluster CA, and its subject must be
 * {@link CaPin#SERVER_COMMON_NAME}. The CA is known either from a join token's pin (first
 * contact: the chain must contain a CA certificate whose key has that pin, and that
 * certificate becomes the anchor) or from the certificate saved at the join. Host names are
 * not matched: the CA certifies only the cluster's own endpoints, and the subject says which
 * is the server's, so an agent may reach the server by any address (as Swarm's nodes check the
 * role in a certificate, not a host name). Thread-safe.
 */
final class ClusterTrust extends X509ExtendedTrustManager {
    private static final X500Principal SERVER = new X500Principal("CN=" + CaPin.SERVER_COMMON_NAME);
    private final String pin;
    private final X509Certificate anchor;

    private ClusterTrust(String pin, X509Certificate anchor) {
        this.pin = pin;
        this.anchor = anchor;
    }

    /**
     * @param pin the CA's pin from a join token
     * @return TLS trusting a server certified by the CA with that pin
     */
    static SSLContext pinned(String pin) {
        return context(new ClusterTrust(pin, null));
    }

    /**
     * @param ca the CA's certificate, saved at the join
     * @return TLS trusting a server certified by that CA
     */
    static SSLContext anchored(X509Certificate ca) {
        return context(new ClusterTrust(null, ca));
    }

    private static SSLContext context(ClusterTrust trust) {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new javax.net.ssl.TrustManager[]{trust}, null);
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        X509Certificate ca = anchor != null ? anchor : pinnedCa(chain);
        pkix(ca).checkServerTrusted(chain, authType);
        if (!SERVER.equals(chain[0].getSubjectX500Principal())) {
            throw new CertificateException("the certificate is the cluster CA's but not the server's: "
                    + chain[0].getSubjectX500Principal());
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    private X509Certificate pinnedCa(X509Certificate[] chain) throws CertificateException {
        for (X509Certificate c : chain) {
            if (c.getBasicConstraints() >= 0 && CaPin.matches(pin, c)) {
                return c;
            }
        }
        throw new CertificateException("the server is not certified by the cluster CA the join token pins ("
                + pin + "): a token of another cluster, or someone else answers at that address");
    }

    private static X509TrustManager pkix(X509Certificate ca) throws CertificateException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            store.setCertificateEntry("cluster-ca", ca);
            TrustManagerFactory f = TrustManagerFactory.getInstance("PKIX");
            f.init(store);
            for (var m : f.getTrustManagers()) {
                if (m instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new CertificateException("no PKIX trust manager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new CertificateException("cannot check the chain: " + e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("an agent's link certifies no clients");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
