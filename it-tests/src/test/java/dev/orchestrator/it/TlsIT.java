package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static dev.orchestrator.it.OrchestrationIT.freePort;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API served over HTTPS with an operator's certificate from a private CA (made here with
 * Debian's openssl): the CLI and an agent trust it through --ca-cert / $ORCHESTRATOR_CA_CERT,
 * and nothing else gets in (no CA given, plain HTTP); a key that is not one stops the start
 * with a message naming the flag.
 */
class TlsIT {
    private static final String PASSWORD = "tls-it-password";

    @TempDir
    Path work;

    private void openssl(String... args) throws IOException, InterruptedException {
        var cmd = new java.util.ArrayList<String>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close(); // s_client reads its stdin until it ends
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }

    /** A CA and a server certificate it issued for 127.0.0.1. */
    private void certificates() throws Exception {
        String ec = "ec";
        openssl("req", "-x509", "-newkey", ec, "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key",
                "-out", "ca.crt", "-days", "2", "-subj", "/CN=orchestrator test CA");
        openssl("req", "-newkey", ec, "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=127.0.0.1");
        Files.writeString(work.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "server.crt", "-days", "2", "-extfile", "san.ext");
    }

    @Test
    void theCliAndAnAgentReachTheApiOverTlsWithThePrivateCa() throws Exception {
        certificates();
        String ca = work.resolve("ca.crt").toString();
        try (ServerProcess s = ServerProcess.start(work.resolve("data"), Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD),
                "--no-local-node", "--tls-cert", work.resolve("server.crt").toString(), "--tls-key",
                work.resolve("server.key").toString())) {
            String url = "https://127.0.0.1:" + s.port();
            Map<String, String> env = Map.of("ORCHESTRATOR_URL", url, "ORCHESTRATOR_PASSWORD", PASSWORD,
                    "ORCHESTRATOR_CA_CERT", ca);
            Image.Run nodes = Image.run(env, "nodes");
            assertEquals(0, nodes.status(), nodes.err());

            Image.Run untrusted = Image.run(Map.of("ORCHESTRATOR_URL", url, "ORCHESTRATOR_PASSWORD", PASSWORD),
                    "nodes");
            assertEquals(1, untrusted.status(), untrusted.out());
            assertTrue(untrusted.err().contains("TLS handshake failed") && untrusted.err().contains("--ca-cert"),
                    untrusted.err());
            Image.Run plain = Image.run(Map.of("ORCHESTRATOR_URL", "http://127.0.0.1:" + s.port(),
                    "ORCHESTRATOR_PASSWORD", PASSWORD), "nodes");
            assertNotEquals(0, plain.status(), "plain HTTP to the TLS port: " + plain.out());

            Image.Run token = Image.run(env, "token");
            assertEquals(0, token.status(), token.err());
            NodeProcess agent = NodeProcess.start("tls-node", work.resolve("agent.log"), Map.of(),
                    Pattern.compile("orchestrator agent tls-node .* joining"), Duration.ofSeconds(60),
                    List.of("agent", "--server", url, "--token", token.out().strip(), "--ca-cert", ca, "--name",
                            "tls-node", "--advertise-address", "127.0.0.41", "--port", Integer.toString(freePort()),
                            "--ingress-address", "127.0.0.41", "--data-dir", work.resolve("agent").toString(),
                            "--plugins-dir", work.resolve("plugins").toString()));
            try {
                await(() -> Image.run(env, "nodes", "-o", "json").out(), out -> ready(out, "tls-node"),
                        Duration.ofSeconds(30), "the agent joined over TLS and is ready");
            } finally {
                agent.stop();
            }
        }
    }

    /**
     * By default nodes use the cluster listener, certified by the CA the server made itself:
     * openssl verifies it against {@code data/cluster-ca/ca.crt}; an agent given only the API's
     * plain URL and a token joins over it; an agent whose token pins another CA never joins;
     * the API's port refuses node traffic; {@code node rm --force} revokes the credential.
     */
    @Test
    void nodesJoinOverTheClusterCaByDefaultAndNodeRmRevokesTheirCredential() throws Exception {
        try (ServerProcess s = ServerProcess.start(work.resolve("data"), Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD),
                "--no-local-node")) {
            Map<String, String> env = Map.of("ORCHESTRATOR_URL", s.url(), "ORCHESTRATOR_PASSWORD", PASSWORD);
            var http = java.net.http.HttpClient.newHttpClient();
            String where = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.url()
                    + "/agent/v1/cluster")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            var m = Pattern.compile("\\{\"cluster_port\":(\\d+)}").matcher(where);
            assertTrue(m.matches(), where);
            int clusterPort = Integer.parseInt(m.group(1));
            openssl("s_client", "-connect", "127.0.0.1:" + clusterPort, "-CAfile",
                    work.resolve("data/cluster-ca/ca.crt").toString(), "-verify_return_error", "-brief");

            String token = Image.run(env, "token").out().strip();
            assertTrue(token.startsWith("orc2."), token);
            String pin = token.split("\\.")[1];
            NodeProcess forged = agent("pin-node", token.replace(pin, "A".repeat(43)), s.url());
            NodeProcess agent = agent("tls-node", token, s.url());
            try {
                await(() -> Image.run(env, "nodes", "-o", "json").out(), out -> ready(out, "tls-node"),
                        Duration.ofSeconds(30), "the agent joined over the cluster CA's TLS and is ready");
                await(() -> forged.tail(200), t -> t.contains("not certified by the cluster CA the join token pins"),
                        Duration.ofSeconds(20), "the agent with a forged pin refuses the server");
                String events = Image.run(env, "events").out();
                assertTrue(events.contains("Node tls-node joined with join token"), events);
                assertTrue(!events.contains("pin-node"), "the forged agent sent nothing: " + events);
                assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(work.resolve("agent-tls-node/cluster/credential"))));

                Image.Run refused = Image.run(env, "node", "rm", "tls-node");
                assertEquals(1, refused.status(), refused.out());
                assertTrue(refused.err().contains("is ready"), refused.err());
                Image.Run rm = Image.run(env, "node", "rm", "tls-node", "--force");
                assertEquals(0, rm.status(), rm.err());
                assertEquals("Node tls-node removed; its credential is revoked", rm.out().strip());
                await(() -> agent.tail(200), t -> t.contains("the server refused this node's credential"),
                        Duration.ofSeconds(20), "the removed node's agent is refused");
                assertTrue(!ready(Image.run(env, "nodes", "-o", "json").out(), "tls-node"), "the node stays removed");
            } finally {
                agent.stop();
                forged.stop();
            }
        }
    }

    private NodeProcess agent(String name, String token, String url) throws IOException {
        return NodeProcess.start(name, work.resolve(name + ".log"), Map.of(),
                Pattern.compile("orchestrator agent " + name + " .* joining"), Duration.ofSeconds(60),
                List.of("agent", "--server", url, "--token", token, "--name", name, "--advertise-address",
                        "127.0.0.4" + (name.startsWith("pin") ? "3" : "2"), "--port", Integer.toString(freePort()),
                        "--ingress-address", "127.0.0.4" + (name.startsWith("pin") ? "3" : "2"), "--data-dir",
                        work.resolve("agent-" + name).toString(), "--plugins-dir", work.resolve("plugins").toString()));
    }

    @Test
    void aKeyThatIsNotOneStopsTheStartNamingTheFlag() throws Exception {
        certificates();
        Image.Run r = Image.run(Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD), "server", "--bind", "127.0.0.1",
                "--port", "0", "--no-local-node", "--data-dir", work.resolve("bad").toString(), "--tls-cert",
                work.resolve("server.crt").toString(), "--tls-key", work.resolve("server.crt").toString());
        assertNotEquals(0, r.status(), r.out());
        assertTrue(r.err().contains("--tls-key") && r.err().contains("not an unencrypted PKCS#8 PEM private key"),
                r.err());
        Image.Run half = Image.run(Map.of(), "server", "--tls-cert", work.resolve("server.crt").toString());
        assertEquals(2, half.status(), half.out());
        assertTrue(half.err().contains("--tls-cert and --tls-key go together"), half.err());
    }

    private static boolean ready(String json, String node) {
        try {
            for (JsonNode n : Api.JSON.readTree(json)) {
                if (node.equals(n.path("id").asText()) && "ready".equals(n.path("status").asText())) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
