package dev.orchestrator.it;

import static dev.orchestrator.it.OrchestrationIT.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fencing ({@code stop_after_disconnect}) against a real partition: two agents, each in a
 * network namespace of its own with its own Docker engine, joined to a server on the host by a
 * veth pair each. Node {@code a} runs one replica of an availability-first service and one of a
 * fenced service; then every packet between {@code a} and the server is dropped (iptables in
 * {@code a}'s namespace: connections hang, as on a cut cable, nothing is refused). The server
 * moves both replicas to {@code b}; the test measures, from both engines' {@code docker events},
 * how long each replica ran on both nodes at once, and heals the partition once both run on
 * {@code b}. With {@code stop_after_disconnect} the overlap must be nil; without it the lost
 * node's copy runs on until the node hears the server again.
 *
 * <p>Names (namespaces, links, directories, services) carry a random suffix: other tests may
 * run on the same machine. Needs root (namespaces, iptables, dockerd).
 */
class FencingIT {
    private static final String PASSWORD = "fence-it";
    private static final Path LOGS = Path.of("target", "fencing-it");
    private static final String IMAGE = "orchestrator-test/web:1";
    private static final String ID = Integer.toString(ThreadLocalRandom.current().nextInt(1000, 10000));
    /** 10.79.K.0/30 for a, 10.79.K.4/30 for b: the host is .1 / .5, the nodes .2 / .6. */
    private static final int K = ThreadLocalRandom.current().nextInt(100, 250);
    private static final String FENCED = "fit" + ID + "-db";
    private static final String AVAILABLE = "fit" + ID + "-web";
    private static final Duration BOUND = Duration.ofSeconds(4);
    private static final List<Lab> LABS = new ArrayList<>();
    private static final List<NodeProcess> PROCESSES = new CopyOnWriteArrayList<>();
    private static final List<Process> WATCHES = new CopyOnWriteArrayList<>();
    @TempDir
    static Path work;
    private static Api api;

    /** One node's namespace, link and engine. */
    private record Lab(String name, String host, String address) {
        String ns() {
            return "fit" + ID + name;
        }

        String veth() {
            return ns() + "h";
        }

        Path run() {
            return Path.of("/run", ns());
        }

        Path data() {
            return Path.of("/var/lib", ns());
        }

        String socket() {
            return "unix://" + run().resolve("docker.sock");
        }

        String node() {
            return "fit" + ID + "-" + name;
        }
    }

    @BeforeAll
    static void startCluster() throws Exception {
        Files.createDirectories(LOGS);
        LABS.add(new Lab("a", "10.79." + K + ".1", "10.79." + K + ".2"));
        LABS.add(new Lab("b", "10.79." + K + ".5", "10.79." + K + ".6"));
        for (Lab lab : LABS) {
            up(lab);
        }
        int port;
        try (var probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        NodeProcess server = NodeProcess.start("server", LOGS.resolve("server.log"),
                Map.of("ORCHESTRATOR_ADMIN_PASSWORD", PASSWORD),
                Pattern.compile("listening on http://\\S+:(\\d+)"), Duration.ofSeconds(60),
                List.of("server", "--port", String.valueOf(port), "--bind", "0.0.0.0", "--no-local-node",
                        "--data-dir", work.resolve("server").toString(), "--node-timeout", "5s"));
        PROCESSES.add(server);
        String local = "http://127.0.0.1:" + port;
        api = new Api(local, "admin", PASSWORD);
        Image.Run t = Image.run(Map.of("ORCHESTRATOR_URL", local, "ORCHESTRATOR_PASSWORD", PASSWORD), "token");
        assertEquals(0, t.status(), t.err());
        for (Lab lab : LABS) {
            PROCESSES.add(NodeProcess.start(List.of("nsenter", "--net=/var/run/netns/" + lab.ns(), "--"), lab.node(),
                    LOGS.resolve(lab.node() + ".log"), Map.of("ORCHESTRATOR_AGENT_TOKEN", t.out().strip(),
                            "DOCKER_HOST", lab.socket()),
                    Pattern.compile("joining"), Duration.ofSeconds(60),
                    List.of("agent", "--server", "http://" + lab.host() + ":" + port, "--name", lab.node(),
                            "--advertise-address", lab.address(), "--data-dir", work.resolve(lab.name()).toString(),
                            "--cpus", "2", "--memory", "2g")));
        }
        await(() -> api.get("/api/nodes").json(), ns -> ns.size() == 2 && StreamSupport.stream(ns.spliterator(), false)
                .allMatch(n -> n.get("status").asText().equals("ready")), Duration.ofSeconds(30), "2 ready nodes");
    }

    @AfterAll
    static void stopCluster() {
        WATCHES.forEach(Process::destroy);
        PROCESSES.reversed().forEach(NodeProcess::close);
        for (Lab lab : LABS) {
            down(lab);
        }
    }

    @Test
    void aFencedReplicaNeverRunsTwiceAndAnAvailableOneDoes() throws Exception {
        Lab a = LABS.get(0);
        Lab b = LABS.get(1);
        assertEquals(200, api.post("/api/nodes/" + b.node() + "/cordon", "").status(), "everything on a first");
        deploy(AVAILABLE, "");
        deploy(FENCED, ",\"stop_after_disconnect\":\"" + BOUND.toSeconds() + "s\"");
        await(() -> running(a, AVAILABLE) && running(a, FENCED), Duration.ofSeconds(40), "both replicas running on a");
        assertEquals(200, api.post("/api/nodes/" + b.node() + "/uncordon", "").status());
        var eventsA = watch(a);
        var eventsB = watch(b);
        Thread.sleep(1500); // the watches are attached, and a has reported since the activation

        long cut = System.nanoTime();
        partition(a, true);
        String waiting = await(() -> api.get("/api/services/" + FENCED).body(),
                body -> body.contains("for " + a.node() + " to stop it (stop_after_disconnect)"),
                Duration.ofSeconds(15), "the fenced replica waiting for a to stop it");
        System.out.println("FencingIT: while a is down the API says: "
                + waiting.replaceAll(".*\"message\":\"(waiting [^\"]*)\".*", "$1"));
        await(() -> running(b, AVAILABLE) && running(b, FENCED), Duration.ofSeconds(30), "both replicas running on b");
        double movedAfter = (System.nanoTime() - cut) / 1e9;
        Thread.sleep(1000);
        long healed = System.currentTimeMillis() * 1_000_000L; // the engines' event clock
        partition(a, false);
        await(() -> !exists(a, AVAILABLE) && !exists(a, FENCED), Duration.ofSeconds(45),
                "a removes both copies once it hears the server again");
        Thread.sleep(500); // the last events reach the watches

        double fenced = overlap(eventsA, eventsB, FENCED);
        double available = overlap(eventsA, eventsB, AVAILABLE);
        System.out.printf("FencingIT: overlap with stop_after_disconnect %ds: %.2f s; availability first: %.2f s"
                + " (both moved within %.1f s of the cut)%n", BOUND.toSeconds(), fenced, available, movedAfter);
        System.out.printf("FencingIT: a removed its availability-first copy %.2f s after the partition healed%n",
                (last(eventsA, "die", AVAILABLE).orElseThrow() - healed) / 1e9);
        assertEquals(0.0, fenced, "the fenced replica never ran on both nodes at once");
        assertTrue(available > 0, "an availability-first replica runs on both while the partition lasts: " + available);
        String said = await(() -> api.get("/api/events?service=" + FENCED).body(),
                body -> body.contains("Stopping " + FENCED + "-0 on " + a.node() + ": lost the server for "
                        + BOUND.toSeconds() + "s (stop_after_disconnect)"),
                Duration.ofSeconds(20), "a's fence event, reported once it is back");
        assertTrue(said.contains("follows its assignment again"), said);
    }

    private static void deploy(String name, String extra) {
        Api.Response r = api.post("/api/deploy", "{\"name\":\"" + name + "\",\"image\":\"" + IMAGE + "\","
                + "\"stop_grace_period\":\"1s\"" + extra + "}");
        assertEquals(201, r.status(), r.body());
    }

    private static boolean running(Lab lab, String service) {
        return !docker(lab, "ps", "-q", "--filter", "label=dev.orchestrator.service=" + service).isBlank();
    }

    private static boolean exists(Lab lab, String service) {
        return !docker(lab, "ps", "-aq", "--filter", "label=dev.orchestrator.service=" + service).isBlank();
    }

    /** Drops (not refuses) every packet between the node and the host, in the node's namespace. */
    private static void partition(Lab lab, boolean cut) {
        String op = cut ? "-I" : "-D";
        sh(List.of("ip", "netns", "exec", lab.ns(), "iptables", op, "INPUT", "-s", lab.host(), "-j", "DROP"));
        sh(List.of("ip", "netns", "exec", lab.ns(), "iptables", op, "OUTPUT", "-d", lab.host(), "-j", "DROP"));
    }

    /** The engine's container starts and deaths from now on, one {@code <ns> <action> <service>} a line. */
    private static List<String> watch(Lab lab) throws IOException {
        Process p = new ProcessBuilder("docker", "-H", lab.socket(), "events", "--filter", "type=container",
                "--filter", "event=start", "--filter", "event=die",
                "--format", "{{.TimeNano}} {{.Action}} {{index .Actor.Attributes \"dev.orchestrator.service\"}}")
                .redirectErrorStream(true).start();
        WATCHES.add(p);
        var lines = new CopyOnWriteArrayList<String>();
        Thread.ofVirtual().start(() -> {
            try (var in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = in.readLine(); l != null; l = in.readLine()) {
                    lines.add(l);
                }
            } catch (IOException e) {
                lines.add("error " + e);
            }
        });
        return lines;
    }

    /**
     * Seconds during which the service ran on both engines: from its start on b to its death on
     * a (the copy a ran since before the watch), 0 if a's died first. Both engines run on this
     * machine, so their event times share one clock.
     */
    private static double overlap(List<String> a, List<String> b, String service) {
        long died = last(a, "die", service).orElseThrow(() -> new AssertionError("no death on a of " + service + ": " + a));
        long started = last(b, "start", service).orElseThrow(() -> new AssertionError("no start on b of " + service
                + ": " + b));
        System.out.printf("FencingIT: %s died on a %.2f s %s it started on b%n", service,
                Math.abs(started - died) / 1e9, died <= started ? "before" : "after");
        return Math.max(0, died - started) / 1e9;
    }

    private static OptionalLong last(List<String> events, String action, String service) {
        return events.stream().map(l -> l.split(" ")).filter(f -> f.length == 3 && f[1].equals(action)
                && f[2].equals(service)).mapToLong(f -> Long.parseLong(f[0])).max();
    }

    // ---- the lab: a namespace, a veth pair to the host, a dockerd in the namespace

    private static void up(Lab lab) throws IOException, InterruptedException {
        String ns = lab.ns();
        sh(List.of("ip", "netns", "add", ns));
        sh(List.of("ip", "link", "add", lab.veth(), "type", "veth", "peer", "name", "eth0", "netns", ns));
        sh(List.of("ip", "addr", "add", lab.host() + "/30", "dev", lab.veth()));
        sh(List.of("ip", "link", "set", lab.veth(), "up"));
        sh(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"));
        sh(List.of("ip", "netns", "exec", ns, "ip", "addr", "add", lab.address() + "/30", "dev", "eth0"));
        sh(List.of("ip", "netns", "exec", ns, "ip", "link", "set", "eth0", "up"));
        sh(List.of("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", lab.host()));
        Files.createDirectories(lab.run().resolve("exec"));
        Files.createDirectories(lab.data());
        Files.writeString(lab.run().resolve("daemon.json"),
                "{ \"deprecated-key-path\": \"" + lab.data().resolve("key.json") + "\" }\n");
        // nsenter, not `ip netns exec`, which remounts /sys (dockerd then misses its cgroups).
        new ProcessBuilder("setsid", "nsenter", "--net=/var/run/netns/" + ns, "--", "dockerd",
                "-H", lab.socket(), "--pidfile", lab.run().resolve("docker.pid").toString(),
                "--exec-root", lab.run().resolve("exec").toString(),
                "--data-root", lab.data().resolve("docker").toString(),
                "--config-file", lab.run().resolve("daemon.json").toString(), "--bip", "172.29.1.1/24")
                .redirectErrorStream(true).redirectOutput(LOGS.resolve(ns + "-dockerd.log").toFile()).start();
        await(() -> docker(lab, "version", "--format", "{{.Server.Version}}").matches("(?s)[0-9].*"),
                Duration.ofSeconds(30), lab.name() + "'s dockerd answering");
        sh(List.of("sh", "-c", "docker save " + IMAGE + " | docker -H " + lab.socket() + " load -q"));
    }

    /** Containers first, then the engine, the namespace, the link, the directories. */
    private static void down(Lab lab) {
        try {
            String ids = docker(lab, "ps", "-aq");
            if (!ids.isBlank()) {
                var rm = new ArrayList<>(List.of("rm", "-f"));
                rm.addAll(List.of(ids.strip().split("\\s+")));
                docker(lab, rm.toArray(String[]::new));
            }
            Path pidFile = lab.run().resolve("docker.pid");
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(h -> {
                    h.destroy();
                    h.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
                        h.destroyForcibly();
                        return h;
                    }).join();
                });
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("FencingIT: stopping " + lab.ns() + "'s engine: " + e);
        }
        sh(List.of("ip", "netns", "delete", lab.ns()));
        sh(List.of("ip", "link", "delete", lab.veth()));
        sh(List.of("rm", "-rf", "--one-file-system", lab.run().toString(), lab.data().toString()));
    }

    private static String docker(Lab lab, String... args) {
        var cmd = new ArrayList<>(List.of("docker", "-H", lab.socket()));
        cmd.addAll(List.of(args));
        return sh(cmd);
    }

    /** Runs a command (30 s at most); stdout and stderr together. */
    private static String sh(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
