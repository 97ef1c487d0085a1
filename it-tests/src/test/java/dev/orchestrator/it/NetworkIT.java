package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Managed networks and service DNS on one node, from inside real containers: names resolve
 * (short, in the zone, {@code tasks.}), the name's stable address spreads connections over the
 * replicas, answers follow scaling and health, and networks isolate services.
 */
class NetworkIT extends ServerTestBase {
    private static final Pattern HOSTNAME = Pattern.compile("(?m)(?:^|\\s)([0-9a-f]{12})\\s*$");
    private static final Pattern REPLICA_ADDRESS = Pattern.compile("Address:\\s*(10\\.210\\.[0-9.]+)");

    @Test
    void servicesReachEachOtherByNameSpreadOverReplicasAndFollowScaling() {
        deploy("""
                {"name": "net-web", "image": "orchestrator-test/web:1", "replicas": 3,
                 "ports": [{"container_port": 8080}],
                 "health_check": {"type": "http", "endpoint": "http://localhost:8080/health",
                                  "interval": "1s", "timeout": "1s", "retries": 2}}""");
        deploy("""
                {"name": "net-client", "image": "orchestrator-test/busybox:1", "command": ["sleep", "3600"]}""");
        awaitService("net-web", s -> s.get("healthy").asInt() == 3, "3/3 healthy");
        String client = running("net-client");
        await(() -> tasks(client, "net-web"), t -> t.size() == 3, Duration.ofSeconds(20), "3 tasks");

        Set<String> hosts = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            String out = sh(client, "wget", "-O", "-", "http://net-web:8080/cgi-bin/hostname");
            // stdout and wget's progress on stderr share the exec's stream, sometimes one line.
            var m = HOSTNAME.matcher(out);
            if (!m.find()) {
                throw new AssertionError("no hostname in: " + out);
            }
            hosts.add(m.group(1));
        }
        assertEquals(3, hosts.size(), "one name, three replicas: " + hosts);
        assertTrue(sh(client, "wget", "-O", "-", "http://net-web.internal:8080/").contains("<"), "zone name");
        assertEquals(3, tasks(client, "net-web").size());

        assertEquals(200, api.post("/api/services/net-web/scale", "{\"replicas\": 1}").status());
        await(() -> tasks(client, "net-web"), t -> t.size() == 1, Duration.ofSeconds(20), "tasks follow 3 -> 1");
        assertTrue(sh(client, "wget", "-O", "-", "http://net-web:8080/cgi-bin/hostname").contains("written"),
                "still served after scaling down");
    }

    @Test
    void anUnhealthyReplicaLeavesTheAnswers() throws Exception {
        deploy("""
                {"name": "net-hc", "image": "orchestrator-test/web:1", "replicas": 2,
                 "ports": [{"container_port": 8080}],
                 "health_check": {"type": "http", "endpoint": "http://localhost:8080/health",
                                  "interval": "1s", "timeout": "1s", "retries": 2}}""");
        deploy("""
                {"name": "net-probe", "image": "orchestrator-test/busybox:1", "command": ["sleep", "3600"]}""");
        awaitService("net-hc", s -> s.get("healthy").asInt() == 2, "2/2 healthy");
        String client = running("net-probe");
        await(() -> tasks(client, "net-hc"), t -> t.size() == 2, Duration.ofSeconds(20), "2 tasks");
        Container victim = containers("net-hc").stream().filter(c -> "running".equals(c.getState())).findFirst()
                .orElseThrow();
        var exec = docker.execCreateCmd(victim.getId()).withCmd("rm", "/www/health").exec();
        docker.execStartCmd(exec.getId()).start().awaitCompletion();
        // Its replacement may get the same address back once healthy: what must be seen is the
        // moment in between, when only the healthy replica is named. Asked every 20 ms, of the
        // node's operator listener (the same data as the containers' listener), with dnsjava.
        var resolver = new org.xbill.DNS.SimpleResolver("127.0.0.1");
        resolver.setPort(5353);
        long end = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        int seen = -1;
        while (System.nanoTime() < end && seen != 1) {
            var query = org.xbill.DNS.Message.newQuery(org.xbill.DNS.Record.newRecord(
                    org.xbill.DNS.Name.fromString("tasks.net-hc.internal."), org.xbill.DNS.Type.A,
                    org.xbill.DNS.DClass.IN));
            seen = resolver.send(query).getSection(org.xbill.DNS.Section.ANSWER).size();
            Thread.sleep(20);
        }
        assertEquals(1, seen, "the unhealthy replica left tasks.net-hc before its replacement came");
    }

    @Test
    void servicesThatShareNoNetworkCannotReachEachOther() {
        deploy("""
                {"name": "net-secret", "image": "orchestrator-test/web:1", "networks": ["backend"],
                 "ports": [{"container_port": 8080}]}""");
        deploy("""
                {"name": "net-inside", "image": "orchestrator-test/busybox:1", "networks": ["backend"],
                 "command": ["sleep", "3600"]}""");
        deploy("""
                {"name": "net-outside", "image": "orchestrator-test/busybox:1", "command": ["sleep", "3600"]}""");
        awaitService("net-secret", s -> s.get("running").asInt() == 1, "secret runs");
        String inside = running("net-inside");
        String outside = running("net-outside");
        String secretIp = running("net-secret", "orch-backend");

        await(() -> sh(inside, "wget", "-O", "-", "http://net-secret:8080/cgi-bin/hostname"),
                out -> out.contains("written to stdout"), Duration.ofSeconds(15), "same network: reachable");
        String byName = sh(outside, "timeout", "3", "wget", "-O", "-", "http://net-secret:8080/");
        assertTrue(!byName.contains("written to stdout"), "other network, by name: refused, got " + byName);
        String direct = sh(outside, "timeout", "3", "wget", "-O", "-", "http://" + secretIp + ":8080/");
        assertTrue(!direct.contains("written to stdout"), "other network, by address: unreachable, got " + direct);
    }

    private void deploy(String json) {
        Api.Response r = api.post("/api/deploy", json);
        assertEquals(201, r.status(), r.body());
    }

    /** The running container of a single-replica service. */
    private String running(String service) {
        return await(() -> containers(service).stream().filter(c -> "running".equals(c.getState())).toList(),
                l -> !l.isEmpty(), Duration.ofSeconds(30), service + " running").getFirst().getId();
    }

    /** A running container's address on one network. */
    private String running(String service, String network) {
        String id = running(service);
        return docker.inspectContainerCmd(id).exec().getNetworkSettings().getNetworks().get(network).getIpAddress();
    }

    private Set<String> tasks(String client, String service) {
        Matcher m = REPLICA_ADDRESS.matcher(sh(client, "nslookup", "tasks." + service + ".internal"));
        var out = new HashSet<String>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    /** Runs argv in a container; its stdout and stderr together. */
    private String sh(String container, String... argv) {
        var exec = docker.execCreateCmd(container).withCmd(argv).withAttachStdout(true).withAttachStderr(true).exec();
        var out = new StringBuilder();
        try (var cb = docker.execStartCmd(exec.getId()).exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame f) {
                synchronized (out) {
                    out.append(new String(f.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        })) {
            cb.awaitCompletion(20, TimeUnit.SECONDS);
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError("exec " + List.of(argv) + ": " + e, e);
        }
        synchronized (out) {
            return out.toString();
        }
    }
}
