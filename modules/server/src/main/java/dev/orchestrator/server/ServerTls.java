package dev.orchestrator.server;

import dev.orchestrator.api.OrchestratorException;
import io.helidon.common.configurable.Resource;
import io.helidon.common.pki.Keys;
import io.helidon.common.tls.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The API's HTTPS from an operator's PEM files, read with Helidon's PKI support and served by
 * Helidon's TLS (the JDK's). Read once at start: a bad file stops the start with a message
 * naming it, never a half-working listener.
 */
final class ServerTls {
    private ServerTls() {
    }

    /**
     * @param files the certificate chain and key
     * @return the server's TLS
     * @throws OrchestratorException {@code INVALID_ARGUMENT} naming the file that cannot be used
     */
    static Tls of(ServerOptions.TlsFiles files) {
        readable("--tls-cert", files.certChain());
        readable("--tls-key", files.key());
        List<X509Certificate> chain;
        try {
            chain = Keys.builder().pem(p -> p.certChain(Resource.create(files.certChain()))).build().certChain();
        } catch (RuntimeException e) {
            throw OrchestratorException.invalid("--tls-cert " + files.certChain() + ": not a PEM certificate chain ("
                    + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw OrchestratorException.invalid("--tls-cert " + files.certChain() + ": holds no certificate");
        }
        PrivateKey key;
        try {
            key = Keys.builder().pem(p -> p.key(Resource.create(files.key()))).build().privateKey().orElse(null);
        } catch (RuntimeException e) {
            key = null;
        }
        if (key == null) {
            // Not the exception's text: it could quote the file.
            throw OrchestratorException.invalid("--tls-key " + files.key() + ": not an unencrypted PKCS#8 PEM private"
                    + " key (convert one with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.p8)");
        }
        PrivateKey privateKey = key;
        return Tls.builder().privateKey(privateKey).privateKeyCertChain(chain).build();
    }

    private static void readable(String flag, Path file) {
        if (!Files.isReadable(file)) {
            throw OrchestratorException.invalid(flag + " " + file + ": cannot read it");
        }
    }
}
