package dev.orchestrator.cluster;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The fingerprint a join token carries of the cluster's CA: the SHA-256 of the CA's public key
 * (its DER SubjectPublicKeyInfo, as kubeadm's {@code --discovery-token-ca-cert-hash} pins it),
 * in unpadded base64url (43 characters). A new certificate for the same key keeps the pin.
 * Stateless; thread-safe.
 */
public final class CaPin {
    /**
     * The common name of the certificate the CA issues the server's cluster endpoint: what an
     * agent checks instead of a host name (the CA issues only the cluster's own endpoints).
     */
    public static final String SERVER_COMMON_NAME = "orchestrator server";
    /** The form of a pin. */
    public static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");

    private CaPin() {
    }

    /**
     * @param certificate a CA's certificate
     * @return its pin
     */
    public static String of(X509Certificate certificate) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /**
     * @param pin         a pin
     * @param certificate a certificate
     * @return true if the certificate's key is the pinned one (compared in constant time)
     */
    public static boolean matches(String pin, X509Certificate certificate) {
        return MessageDigest.isEqual(pin.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                of(certificate).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
}
