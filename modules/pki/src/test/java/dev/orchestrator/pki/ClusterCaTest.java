package dev.orchestrator.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.OrchestratorException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterCaTest {
    private static final Instant NOW = Instant.now();

    @TempDir
    Path dir;

    @Test
    void isMadeOnceKeptOwnerOnlyAndReopened() throws Exception {
        ClusterCa made = ClusterCa.open(dir, NOW);
        ClusterCa reopened = ClusterCa.open(dir, NOW.plusSeconds(60));

        assertEquals(made.certificate(), reopened.certificate());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(ClusterCa.KEY_FILE))));
        X509Certificate ca = made.certificate();
        assertEquals(0, ca.getBasicConstraints(), "a CA that may sign endpoints only");
        assertTrue(ca.getKeyUsage()[5], "keyCertSign");
        ca.verify(ca.getPublicKey());
        assertTrue(made.certificatePem().startsWith("-----BEGIN CERTIFICATE-----"));
    }

    @Test
    void issuesEndpointCertificatesThatValidateToIt() throws Exception {
        ClusterCa ca = ClusterCa.open(dir, NOW);
        ClusterCa.Issued issued = ca.issue("server", List.of("localhost", "host-a"),
                List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.0.0.1")), NOW, Duration.ofDays(1));

        X509Certificate leaf = issued.chain().getFirst();
        assertEquals(ca.certificate(), issued.chain().get(1));
        assertEquals(-1, leaf.getBasicConstraints());
        assertEquals(Set.of(List.of(2, "localhost"), List.of(2, "host-a"), List.of(7, "127.0.0.1"), List.of(7, "10.0.0.1")),
                Set.copyOf(leaf.getSubjectAlternativeNames().stream().map(l -> List.copyOf(l)).toList()));
        var params = new PKIXParameters(Set.of(new TrustAnchor(ca.certificate(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
        assertFalse(issued.toString().contains(ClusterCa.keyPem(issued)));
        assertTrue(ClusterCa.chainPem(issued).indexOf("BEGIN CERTIFICATE") != ClusterCa.chainPem(issued)
                .lastIndexOf("BEGIN CERTIFICATE"), "leaf and CA");
    }

    @Test
    void aCorruptCaStopsWithAMessageNamingTheDirectory() throws Exception {
        ClusterCa.open(dir, NOW);
        Files.writeString(dir.resolve(ClusterCa.KEY_FILE), "garbage");

        var e = assertThrows(OrchestratorException.class, () -> ClusterCa.open(dir, NOW));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
    }

    @Test
    void aKeyLeftWithoutItsCertificateIsReplaced() throws Exception {
        Files.writeString(dir.resolve(ClusterCa.KEY_FILE), "half made");

        ClusterCa ca = ClusterCa.open(dir, NOW);
        assertEquals(ca.certificate(), ClusterCa.open(dir, NOW).certificate());
    }
}
