package dev.orchestrator.pki;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The cluster's certificate authority: an EC P-256 key and a self-signed certificate made on
 * the server's first start and kept in its data directory ({@value #CERT_FILE}, and
 * {@value #KEY_FILE} readable by the owner only). It certifies the server's endpoint for nodes;
 * agents trust it through the fingerprint their join token carries. Certificates are built with
 * Bouncy Castle; keys, signatures and their checks are the JDK's. Thread-safe: immutable once
 * loaded.
 */
public final class ClusterCa {
    /** The CA's certificate (PEM), under the directory given to {@link #open}. */
    public static final String CERT_FILE = "ca.crt";
    /** The CA's private key (PKCS#8 PEM, mode 0600), under the directory given to {@link #open}. */
    public static final String KEY_FILE = "ca.key";
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;

    private ClusterCa(X509Certificate certificate, PrivateKey key) {
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * A key and the certificate chain the CA issued for it.
     *
     * @param key   the private key
     * @param chain the leaf certificate, then the CA's
     */
    public record Issued(PrivateKey key, List<X509Certificate> chain) {
        /** Copies the chain. */
        public Issued {
            chain = List.copyOf(chain);
        }

        @Override
        public String toString() {
            return "Issued[" + chain.getFirst().getSubjectX500Principal() + "]"; // never the key
        }
    }

    /**
     * Loads the CA from {@code dir}, making it first if the directory holds none.
     *
     * @param dir where the CA is kept (made if missing)
     * @param now the time, for a new CA's validity
     * @return the CA
     * @throws OrchestratorException {@code INTERNAL} when the files cannot be read or written, or
     *                               hold no usable CA
     */
    public static ClusterCa open(Path dir, Instant now) {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        try {
            if (!Files.exists(cert)) { // a key alone is what a crash while making the CA left
                create(dir, now);
            }
            return new ClusterCa(readCertificate(cert), readKey(key));
        } catch (IOException | GeneralSecurityException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "the cluster CA in " + dir + " cannot be used: "
                    + e.getMessage() + " (move the directory away to make a new CA; every node then joins again)");
        }
    }

    /** @return the CA's certificate */
    public X509Certificate certificate() {
        return certificate;
    }

    /** @return the CA's certificate in PEM */
    public String certificatePem() {
        return pem(certificate);
    }

    /**
     * Issues a certificate for a new key: an endpoint's (server authentication, and client
     * authentication too) for the given names and addresses.
     *
     * @param commonName its subject's CN
     * @param dnsNames   host names it is valid for
     * @param addresses  IP addresses it is valid for
     * @param now        the time
     * @param validity   how long it is valid
     * @return the key and its chain
     */
    public Issued issue(String commonName, List<String> dnsNames, List<InetAddress> addresses, Instant now,
                        Duration validity) {
        try {
            KeyPair pair = newKeyPair();
            var names = new ArrayList<GeneralName>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            // The raw octets: a scoped IPv6 text form (fe80::1%eth0) is not a certificate address.
            addresses.forEach(a -> names.add(new GeneralName(GeneralName.iPAddress,
                    new org.bouncycastle.asn1.DEROctetString(a.getAddress()))));
            var utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                    commonName, pair, now, validity)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[]{
                            KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            utils.createSubjectKeyIdentifier(pair.getPublic()));
            if (!names.isEmpty()) {
                b.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(GeneralName[]::new)));
            }
            X509Certificate leaf = sign(b, key);
            leaf.verify(certificate.getPublicKey());
            return new Issued(pair.getPrivate(), List.of(leaf, certificate));
        } catch (GeneralSecurityException | CertIOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot issue a certificate: " + e.getMessage(), e);
        }
    }

    private static void create(Path dir, Instant now) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        KeyPair pair = newKeyPair();
        String cn = "orchestrator cluster CA " + now.getEpochSecond();
        var utils = new JcaX509ExtensionUtils();
        X509Certificate cert;
        try {
            cert = sign(builder(new X500Name("CN=" + cn), cn, pair, now, CA_VALIDITY)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic())),
                    pair.getPrivate());
        } catch (CertIOException | OperatorCreationException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        // The key first, owner-only from its creation; the certificate last: a CA is complete
        // when its certificate exists.
        writeAtomically(dir.resolve(KEY_FILE), pem(pair.getPrivate()), true);
        writeAtomically(dir.resolve(CERT_FILE), pem(cert), false);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, String commonName, KeyPair pair, Instant now,
                                                    Duration validity) {
        // Valid from a minute ago: a node whose clock is a little behind still accepts it.
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
                Date.from(now.minusSeconds(60)), Date.from(now.plus(validity)), new X500Name("CN=" + commonName),
                pair.getPublic());
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws OperatorCreationException, GeneralSecurityException {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder(SIGNATURE).build(key));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate readCertificate(Path file) throws IOException, GeneralSecurityException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var p = new PEMParser(r)) {
            if (p.readObject() instanceof X509CertificateHolder h) {
                X509Certificate c = new JcaX509CertificateConverter().getCertificate(h);
                c.checkValidity();
                return c;
            }
            throw new GeneralSecurityException(file + " holds no certificate");
        }
    }

    private static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var p = new PEMParser(r)) {
            if (p.readObject() instanceof PrivateKeyInfo info) {
                return new JcaPEMKeyConverter().getPrivateKey(info);
            }
            throw new GeneralSecurityException(file + " holds no PKCS#8 private key");
        }
    }

    /**
     * @param object a certificate or a key
     * @return it in PEM (a key as PKCS#8)
     */
    static String pem(Object object) {
        var out = new StringWriter();
        try (var w = new JcaPEMWriter(out)) {
            w.writeObject(object instanceof PrivateKey k ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null)
                    : object);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write PEM: " + e.getMessage(), e);
        }
        return out.toString();
    }

    /**
     * @param issued a key and its chain
     * @return the key in PKCS#8 PEM
     */
    public static String keyPem(Issued issued) {
        return pem(issued.key());
    }

    /**
     * @param issued a key and its chain
     * @return the chain in PEM, leaf first
     */
    public static String chainPem(Issued issued) {
        var b = new StringBuilder();
        issued.chain().forEach(c -> b.append(pem(c)));
        return b.toString();
    }

    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(tmp + " appeared while the CA was being made", e);
        }
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII)) {
            w.write(text);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    }
}
