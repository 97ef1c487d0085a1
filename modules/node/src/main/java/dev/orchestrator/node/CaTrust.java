package dev.orchestrator.node;

import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS that trusts the certificate authorities of one PEM file (and only them), for clients of
 * a server whose certificate a private CA issued: the agent's link to the server, the CLI.
 * The JDK's X.509 and TLS do the work. Stateless; thread-safe.
 */
public final class CaTrust {
    private CaTrust() {
    }

    /**
     * @param pem a file of one or more PEM certificates
     * @param flag the option that named it, for messages
     * @return a TLS context trusting exactly those certificates
     * @throws OrchestratorException {@code INVALID_ARGUMENT} if the file cannot be read or holds no certificate
     */
    public static SSLContext context(Path pem, String flag) {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(pem)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw OrchestratorException.invalid(flag + " " + pem + ": cannot read it");
        } catch (GeneralSecurityException e) {
            throw OrchestratorException.invalid(flag + " " + pem + ": not PEM certificates (" + e.getMessage() + ")");
        }
        if (certificates.isEmpty()) {
            throw OrchestratorException.invalid(flag + " " + pem + ": holds no certificate");
        }
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : certificates) {
                store.setCertificateEntry("ca-" + i++, c);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("TLS is not available: " + e.getMessage(), e);
        }
    }
}
