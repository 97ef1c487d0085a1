package dev.orchestrator.node;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.CaPin;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.cluster.Protocol;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How an agent reaches the control plane: it asks the server's API where nodes connect
 * ({@link Protocol#CLUSTER_PATH}), verifies the server's cluster listener by the CA its join
 * token pins ({@link ClusterTrust}), joins once with the token ({@link Protocol#JOIN_PATH})
 * and keeps what it received under its data directory: the CA's certificate
 * ({@value #CA_FILE}) and its own credential ({@value #CREDENTIAL_FILE}, owner-only), which it
 * presents from then on instead of the token. A token that pins another CA than the saved one
 * (a new cluster) makes it join again. Not thread-safe: the link calls it under its lock.
 */
final class ClusterJoin {
    /** Where the join's results are kept, under the node's data directory. */
    static final String DIR = "cluster";
    static final String CA_FILE = "ca.crt";
    static final String CREDENTIAL_FILE = "credential";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI server;
    private final String token;
    private final String node;
    private final Path dir;
    private final HttpClient api;

    /**
     * Where and with what a link sends its requests.
     *
     * @param base   the URL nodes use
     * @param http   the client, with the TLS that URL needs
     * @param bearer what requests present: the node's credential
     */
    record Endpoint(URI base, HttpClient http, String bearer) {
        @Override
        public String toString() {
            return "Endpoint[" + base + "]"; // never the credential
        }
    }

    /**
     * @param server  the server's API URL, as the agent was given it
     * @param token   the join token
     * @param node    this node's name
     * @param dataDir the node's data directory
     * @param apiTls  the TLS an {@code https} API needs, or null for the JDK's default
     */
    ClusterJoin(URI server, String token, String node, Path dataDir, SSLContext apiTls) {
        this.server = server;
        this.token = token;
        this.node = node;
        this.dir = dataDir.resolve(DIR);
        this.api = client(apiTls);
    }

    /**
     * Finds where nodes connect, and joins unless it did before.
     *
     * @param previous the endpoint used so far, kept if nodes still connect there; or null
     * @return the endpoint
     * @throws OrchestratorException {@code RUNTIME_FAILURE} when the server does not answer;
     *                               {@code UNAUTHENTICATED} when it refuses the token
     */
    Endpoint connect(Endpoint previous) throws InterruptedException {
        Protocol.Cluster where = discover();
        URI base = where.clusterPort() == null ? server : cluster(where.clusterPort());
        if (previous != null && previous.base().equals(base)) {
            return previous;
        }
        String pin = JoinTokens.pin(token).orElse(null);
        X509Certificate saved = savedCa();
        if (saved != null && pin != null && !CaPin.matches(pin, saved)) {
            saved = null; // the token is of another cluster (a new server): join it
            forget();
        }
        HttpClient http = where.clusterPort() != null ? client(trust(saved, pin)) : api;
        String credential = savedCredential();
        if (credential == null) {
            credential = join(base, http, pin);
        }
        return new Endpoint(base, http, credential);
    }

    private void forget() {
        try {
            Files.deleteIfExists(dir.resolve(CREDENTIAL_FILE));
            Files.deleteIfExists(dir.resolve(CA_FILE));
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "cannot remove the old cluster's credential in " + dir
                    + ": " + e.getMessage());
        }
    }

    private Protocol.Cluster discover() throws InterruptedException {
        var request = HttpRequest.newBuilder(server.resolve(Protocol.CLUSTER_PATH)).timeout(TIMEOUT)
                .header(Protocol.VERSION_HEADER, Protocol.versionHeader()).GET().build();
        HttpResponse<byte[]> res = send(api, request, server);
        if (res.statusCode() == 404) {
            return new Protocol.Cluster(null); // a server before the cluster listener
        }
        return Protocol.read(ok(res, "where nodes connect"), Protocol.Cluster.class);
    }

    private URI cluster(int port) {
        try {
            return new URI("https", null, server.getHost(), port, null, null, null);
        } catch (URISyntaxException e) {
            throw OrchestratorException.invalid("--server " + server + ": no host for the cluster listener");
        }
    }

    private SSLContext trust(X509Certificate saved, String pin) {
        if (saved != null) {
            return ClusterTrust.anchored(saved);
        }
        if (pin != null) {
            return ClusterTrust.pinned(pin);
        }
        throw new OrchestratorException(ErrorCode.UNAUTHENTICATED, "the join token does not pin the cluster CA (a token"
                + " of an older server): make a new one on the server with 'orchestrator token create'");
    }

    private String join(URI base, HttpClient http, String pin) throws InterruptedException {
        URI uri = base.resolve(Protocol.JOIN_PATH + "?node=" + URLEncoder.encode(node, StandardCharsets.UTF_8));
        var request = HttpRequest.newBuilder(uri).timeout(TIMEOUT).header("Authorization", "Bearer " + token)
                .header(Protocol.VERSION_HEADER, Protocol.versionHeader())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        Protocol.Joined joined = Protocol.read(ok(send(http, request, base), "the join"), Protocol.Joined.class);
        X509Certificate ca = joined.ca() == null ? null : parse(joined.ca());
        if (ca != null && pin != null && !CaPin.matches(pin, ca)) {
            throw new OrchestratorException(ErrorCode.UNAUTHENTICATED, "the server sent a CA other than the one the"
                    + " join token pins: not joined");
        }
        try {
            Files.createDirectories(dir);
            if (joined.ca() != null) {
                write(dir.resolve(CA_FILE), joined.ca(), "rw-r--r--");
            }
            write(dir.resolve(CREDENTIAL_FILE), joined.credential() + "\n", "rw-------");
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "joined, but cannot keep the credential in "
                    + dir + ": " + e.getMessage());
        }
        return joined.credential();
    }

    private X509Certificate savedCa() {
        Path file = dir.resolve(CA_FILE);
        try {
            return Files.exists(file) ? parse(Files.readString(file, StandardCharsets.US_ASCII)) : null;
        } catch (IOException | OrchestratorException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, file + " cannot be read (" + e.getMessage()
                    + "): remove the directory " + dir + " and start the agent with a join token to join again");
        }
    }

    private String savedCredential() {
        Path file = dir.resolve(CREDENTIAL_FILE);
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.US_ASCII).strip() : null;
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, file + " cannot be read: " + e.getMessage());
        }
    }

    /** @return where the credential is kept, for messages */
    Path credentialFile() {
        return dir.resolve(CREDENTIAL_FILE);
    }

    private static X509Certificate parse(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException | ClassCastException e) {
            throw OrchestratorException.invalid("not a PEM certificate: " + e.getMessage());
        }
    }

    private static void write(Path file, String text, String mode) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        Files.writeString(tmp, text, StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, URI to)
            throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new OrchestratorException(ErrorCode.UNAUTHENTICATED, "TLS with " + to + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "server " + to + " unreachable: " + e);
        }
    }

    private static byte[] ok(HttpResponse<byte[]> res, String what) {
        if (res.statusCode() == 200) {
            return res.body();
        }
        String body = new String(res.body(), StandardCharsets.UTF_8);
        ErrorCode code = switch (res.statusCode()) {
            case 400 -> ErrorCode.INVALID_ARGUMENT;
            case 401 -> ErrorCode.UNAUTHENTICATED;
            case 409 -> ErrorCode.CONFLICT;
            default -> ErrorCode.RUNTIME_FAILURE;
        };
        throw new OrchestratorException(code, what + " was refused: HTTP " + res.statusCode() + " " + body);
    }

    static HttpClient client(SSLContext tls) {
        var b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            b.sslContext(tls);
        }
        return b.build();
    }

    /** Closes the API's client. */
    void close() {
        api.close();
    }
}
