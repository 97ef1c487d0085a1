package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.node.AgentOptions;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginKind;
import dev.orchestrator.server.ServerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where server and agent settings come from: flag over environment over file over default, and the file's errors. */
class ConfigurationTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        return Files.writeString(dir.resolve("orchestrator.yaml"), yaml);
    }

    private ServerOptions server(Map<String, String> env, String... argv) {
        return ServerCommand.plan(List.of(argv), env, dir.resolve("absent.yaml")).options();
    }

    private String serverError(Map<String, String> env, String... argv) {
        return assertThrows(CliException.class, () -> server(env, argv)).getMessage();
    }

    @Test
    void flagWinsOverEnvironmentOverFileOverDefault() throws IOException {
        String f = file("server:\n  port: 9000\n").toString();
        assertEquals(8080, server(Map.of()).port());
        assertEquals(9000, server(Map.of(), "--config", f).port());
        assertEquals(9100, server(Map.of("ORCHESTRATOR_SERVER_PORT", "9100"), "--config", f).port());
        assertEquals(9200, server(Map.of("ORCHESTRATOR_SERVER_PORT", "9100"), "--config", f, "--port", "9200").port());
    }

    @Test
    void everyKindOfValueComesFromTheFile() throws IOException {
        String f = file("""
                server:
                  bind: 127.0.0.2
                  data-dir: /srv/orchestrator
                  local-node: false
                  node-timeout: 30s
                  scheduler: binpack
                  cpu-overcommit: 1.5
                events:
                  max-count: 500
                  max-age: 2h
                node:
                  name: edge-1
                  advertise-address: 10.0.0.5
                  ingress-address: 10.0.0.6
                  cpus: 8
                  memory: 2g
                  labels:
                    disk: ssd
                    zone: eu-1
                  runtime: docker
                  load-balancer: tcp
                plugins:
                  dir: /srv/plugins
                """).toString();
        ServerOptions o = server(Map.of(), "--config", f);
        assertEquals("127.0.0.2", o.bindAddress());
        assertEquals(Path.of("/srv/orchestrator"), o.dataDir());
        assertFalse(o.localNode());
        assertEquals(Duration.ofSeconds(30), o.nodeTimeout());
        assertEquals("binpack", o.scheduler());
        assertEquals(1.5, o.cpuOvercommit());
        assertEquals(new dev.orchestrator.app.EventRetention(500, Duration.ofHours(2)), o.events());
        assertEquals("edge-1", o.nodeName());
        assertEquals("10.0.0.5", o.address());
        assertEquals("10.0.0.6", o.ingressAddress());
        assertEquals(8, o.cpus());
        assertEquals(2L << 30, o.memoryBytes());
        assertEquals(Map.of("disk", "ssd", "zone", "eu-1"), o.labels());
        assertEquals("docker", o.runtime());
        assertEquals("tcp", o.loadBalancer());
        assertEquals(Path.of("/srv/plugins"), o.pluginsDir());
    }

    @Test
    void defaultsWithoutFileOrEnvironment() {
        ServerOptions o = server(Map.of());
        assertEquals("0.0.0.0", o.bindAddress());
        assertTrue(o.localNode());
        assertNull(o.runtime(), "the highest-weight driver");
        assertEquals("tcp", o.loadBalancer());
        assertEquals("spread", o.scheduler());
        assertEquals(Map.of(), o.labels());
        assertEquals(dev.orchestrator.app.EventRetention.DEFAULT, o.events());
        assertEquals(new dev.orchestrator.app.EventRetention(100, Duration.ofMinutes(5)),
                server(Map.of("ORCHESTRATOR_EVENTS_MAX_AGE", "5m"), "--events-max-count", "100").events());
    }

    @Test
    void derivedEnvironmentNameWinsOverTheLegacyOneWhichStillWorks() {
        assertEquals(Path.of("/old"), server(Map.of("ORCHESTRATOR_DATA_DIR", "/old")).dataDir());
        assertEquals(Path.of("/new"), server(Map.of("ORCHESTRATOR_DATA_DIR", "/old",
                "ORCHESTRATOR_SERVER_DATA_DIR", "/new")).dataDir());
        assertEquals(Path.of("/p"), server(Map.of("ORCHESTRATOR_PLUGINS_DIR", "/p")).pluginsDir());
    }

    @Test
    void labelsFromAFlagReplaceTheEnvironmentsWhichReplaceTheFiles() throws IOException {
        String f = file("node:\n  labels:\n    disk: hdd\n").toString();
        assertEquals(Map.of("disk", "hdd"), server(Map.of(), "--config", f).labels());
        Map<String, String> env = Map.of("ORCHESTRATOR_NODE_LABELS", "zone=a, gpu=yes");
        assertEquals(Map.of("zone", "a", "gpu", "yes"), server(env, "--config", f).labels());
        assertEquals(Map.of("rack", "r1"), server(env, "--config", f, "--label", "rack=r1").labels());
    }

    @Test
    void switchFlagWinsOverTheEnvironment() {
        assertFalse(server(Map.of("ORCHESTRATOR_SERVER_LOCAL_NODE", "false")).localNode());
        assertFalse(server(Map.of("ORCHESTRATOR_SERVER_LOCAL_NODE", "true"), "--no-local-node").localNode());
    }

    @Test
    void configFileMayBeNamedInTheEnvironmentOrFoundInTheInstall() throws IOException {
        Path f = file("server:\n  port: 9300\n");
        assertEquals(9300, server(Map.of("ORCHESTRATOR_CONFIG", f.toString())).port());
        assertEquals(9300, ServerCommand.plan(List.of(), Map.of(), f).options().port());
    }

    @Test
    void theAdminPasswordComesFromTheFileTheConfigNamesOrTheEnvironmentNeverBoth() throws IOException {
        Path secret = dir.resolve("admin-password");
        Files.writeString(secret, "  Walrus-Kettle-77 \nsecond line\n");
        Path f = file("server:\n  admin-password-file: " + secret + "\n");
        var plan = ServerCommand.plan(List.of("--config", f.toString()), Map.of(), f);
        assertEquals("Walrus-Kettle-77", ServerCommand.adminPassword(plan, Map.of()), "the first line, trimmed");
        assertEquals("Walrus-Kettle-77", ServerCommand.adminPassword(ServerCommand.plan(
                List.of("--admin-password-file", secret.toString()), Map.of(), dir.resolve("absent.yaml")), Map.of()));
        var none = ServerCommand.plan(List.of(), Map.of(), dir.resolve("absent.yaml"));
        assertEquals("from-env", ServerCommand.adminPassword(none, Map.of("ORCHESTRATOR_ADMIN_PASSWORD", "from-env")));
        assertNull(ServerCommand.adminPassword(none, Map.of()));

        var both = assertThrows(CliException.class,
                () -> ServerCommand.adminPassword(plan, Map.of("ORCHESTRATOR_ADMIN_PASSWORD", "x")));
        assertTrue(both.getMessage().contains("exclude each other"), both.getMessage());
        Files.writeString(secret, "\n");
        var empty = assertThrows(CliException.class, () -> ServerCommand.adminPassword(plan, Map.of()));
        assertTrue(empty.getMessage().endsWith("the first line is empty"), empty.getMessage());
        Files.delete(secret);
        var missing = assertThrows(CliException.class, () -> ServerCommand.adminPassword(plan, Map.of()));
        assertTrue(missing.getMessage().contains("cannot read it"), missing.getMessage());
    }

    @Test
    void pluginSettingsComeFromTheFile() throws IOException {
        Path f = file("""
                plugins:
                  load-balancer:
                    tcp:
                      connect-timeout: 3s
                      idle-timeout: 0
                  runtime:
                    docker:
                      host: unix:///run/docker.sock
                """);
        var plugins = ServerCommand.plan(List.of("--config", f.toString()), Map.of(), f).plugins();
        assertEquals(new PluginConfig(Map.of("connect-timeout", "3s", "idle-timeout", "0")),
                plugins.config(PluginKind.LOAD_BALANCER, "tcp"));
        assertEquals("unix:///run/docker.sock", plugins.config(PluginKind.RUNTIME, "docker").get("host").orElseThrow());
        assertEquals(PluginConfig.EMPTY, plugins.config(PluginKind.PROBE, "http"));
    }

    @Test
    void unknownKeyNamesTheFileTheKeyAndTheKnownOnes() throws IOException {
        Path f = file("server:\n  prot: 9000\n");
        assertEquals(f + ": unknown key 'server.prot'; known keys of server: server.port, server.bind,"
                + " server.data-dir, server.local-node, server.node-timeout, server.scheduler, server.cpu-overcommit, server.admin-password-file, server.tls-cert, server.tls-key, server.cluster-port",
                serverError(Map.of(), "--config", f.toString()));
    }

    @Test
    void unknownSectionAndPluginKindAreRefused() throws IOException {
        Path f = file("sever:\n  port: 9000\n");
        assertEquals(f + ": unknown key 'sever'; expected the sections server, agent, node, plugins, log",
                serverError(Map.of(), "--config", f.toString()));
        file("plugins:\n  balancer:\n    round-robin:\n      x: 1\n");
        assertEquals(f + ": unknown key 'plugins.balancer.round-robin.x'; expected plugins.dir or"
                + " plugins.KIND.NAME.KEY with KIND one of runtime, scheduler, probe, discovery, load-balancer,"
                + " balancing-policy",
                serverError(Map.of(), "--config", f.toString()));
    }

    @Test
    void wrongTypeNamesTheFileTheKeyAndWhatWasExpected() throws IOException {
        Path f = file("server:\n  port: eighty\n");
        assertEquals(f + ": server.port must be a port number 0-65535, got 'eighty'",
                serverError(Map.of(), "--config", f.toString()));
        file("server:\n  node-timeout: 5\n");
        assertEquals(f + ": server.node-timeout must be a duration such as 500ms, 5s, 1m or 1h, got '5'",
                serverError(Map.of(), "--config", f.toString()));
        file("server:\n  port:\n    number: 80\n");
        assertEquals(f + ": server.port must be a port number 0-65535, got a mapping or a list",
                serverError(Map.of(), "--config", f.toString()));
        file("node:\n  labels: [ssd]\n");
        assertEquals(f + ": node.labels must be a mapping of label keys to values, got a list",
                serverError(Map.of(), "--config", f.toString()));
    }

    @Test
    void wrongTypeInTheEnvironmentOrOnTheCommandLineNamesThatSource() {
        assertEquals("ORCHESTRATOR_SERVER_PORT must be a port number 0-65535, got 'x'",
                serverError(Map.of("ORCHESTRATOR_SERVER_PORT", "x")));
        assertEquals("--cpu-overcommit must be a number between 1 and 64, such as 4 or 1.5, got '99'",
                serverError(Map.of(), "--cpu-overcommit", "99"));
        assertEquals("--events-max-count must be a whole number 100-10000000, got '99'",
                serverError(Map.of(), "--events-max-count", "99"));
    }

    @Test
    void missingConfigFileIsAnError() {
        Path absent = dir.resolve("nope.yaml");
        assertEquals("config file " + absent + " does not exist (given with --config or ORCHESTRATOR_CONFIG)",
                serverError(Map.of(), "--config", absent.toString()));
        assertEquals("config file " + absent + " does not exist (given with --config or ORCHESTRATOR_CONFIG)",
                serverError(Map.of("ORCHESTRATOR_CONFIG", absent.toString())));
    }

    @Test
    void fileOfCommentsOnlyIsEmpty() throws IOException {
        Path f = file("# nothing set\n#server:\n#  port: 8080\n");
        assertEquals(8080, server(Map.of(), "--config", f.toString()).port());
    }

    @Test
    void invalidYamlIsOneLine() throws IOException {
        Path f = file("server:\n  port: [1,\n");
        String message = serverError(Map.of(), "--config", f.toString());
        assertTrue(message.startsWith(f + ": not a valid YAML file: "), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void agentReadsItsSectionAndTheNodeSection() throws IOException {
        Path f = file("""
                agent:
                  server: http://10.0.0.1:8080
                  token: orc1.abc.secret
                  port: 7000
                node:
                  name: worker-3
                  load-balancer: tcp
                """);
        AgentOptions o = AgentCommand.plan(List.of("--config", f.toString()), Map.of(), dir.resolve("x")).options();
        assertEquals("http://10.0.0.1:8080", o.server().toString());
        assertEquals("orc1.abc.secret", o.token());
        assertEquals(7000, o.port());
        assertEquals("worker-3", o.name());
        assertFalse(o.toString().contains("secret"), "the token is never printed: " + o);
        AgentOptions fromEnv = AgentCommand.plan(List.of("--config", f.toString()),
                Map.of("ORCHESTRATOR_JOIN_TOKEN", "legacy", "ORCHESTRATOR_AGENT_TOKEN", "derived"), dir.resolve("x"))
                .options();
        assertEquals("derived", fromEnv.token());
    }

    @Test
    void secretsAreNotEchoedInErrors() throws IOException {
        Path f = file("agent:\n  server: http://h:1\n  token: \"  \"\n");
        String message = assertThrows(CliException.class, () -> AgentCommand.plan(List.of("--config", f.toString()),
                Map.of(), dir.resolve("x"))).getMessage();
        assertEquals(f + ": agent.token must be a join token (see orchestrator token)", message);
    }

    @Test
    void agentWithoutTokenSaysWhereOneCanComeFrom() {
        String message = assertThrows(CliException.class, () -> AgentCommand.plan(
                List.of("--server", "http://h:1"), Map.of(), dir.resolve("x"))).getMessage();
        assertEquals("--token is required (run 'orchestrator token' on the server; or agent.token in the config"
                + " file, or $ORCHESTRATOR_AGENT_TOKEN)", message);
    }

    @Test
    void badFileFailsTheServerWithOneLineAndStatus2() throws IOException {
        Path f = file("server:\n  prot: 1\n");
        Cli.Result r = Cli.run(Map.of(), "", "server", "--config", f.toString());
        assertEquals(2, r.status());
        assertEquals("", r.out());
        assertTrue(r.err().startsWith("error: " + f + ": unknown key 'server.prot'"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void loadBalancerNotInstalledFailsStartUpNamingTheInstalledOnes() throws IOException {
        Path f = file("server:\n  local-node: false\n");
        Cli.Result r = Cli.run(Map.of(), "", "server", "--config", f.toString(), "--port", "0",
                "--data-dir", dir.resolve("data").toString(), "--plugins-dir", dir.resolve("plugins").toString(),
                "--load-balancer", "x");
        assertEquals(1, r.status());
        assertEquals("error: load-balancer plugin 'x' is not installed; available: tcp\n", r.err());
        assertFalse(Files.exists(dir.resolve("data")), "failed before opening the store");
    }

    @Test
    void pluginSettingsForAPluginNotInstalledFailStartUp() throws IOException {
        Path f = file("plugins:\n  load-balancer:\n    least-conn:\n      x: 1\n");
        Cli.Result r = Cli.run(Map.of(), "", "server", "--config", f.toString(), "--no-local-node",
                "--data-dir", dir.resolve("data").toString(), "--plugins-dir", dir.resolve("plugins").toString());
        assertEquals(1, r.status());
        assertEquals("error: load-balancer plugin 'least-conn' is not installed; available: tcp\n", r.err());
    }

    @Test
    void shippedFileIsValidAndListsEveryKey() throws IOException {
        Path shipped = Path.of("../../distribution/src/conf/orchestrator.yaml");
        String text = Files.readString(shipped);
        assertEquals(8080, ServerCommand.plan(List.of("--config", shipped.toString()), Map.of(), shipped)
                .options().port());
        // Every key is there, commented out with its default, under its section.
        var listed = new ArrayList<String>();
        String section = null;
        for (String line : text.lines().toList()) {
            if (line.matches("# [a-z]+:\\s*")) {
                section = line.substring(2, line.indexOf(':'));
            } else if (line.matches("#   [a-z-]+:.*") && section != null) {
                listed.add(section + "." + line.substring(4, line.indexOf(':')));
            }
        }
        var missing = new ArrayList<String>();
        Settings.ALL.stream().map(Setting::key).filter(k -> !listed.contains(k)).forEach(missing::add);
        assertEquals(List.of(), missing, "keys not listed in " + shipped + ": " + listed);
    }

    @Test
    void helpListsEveryFlagWithItsKeyAndVariable() {
        String help = Cli.run(Map.of(), "", "server", "--help").out();
        for (NodeFlags.Flag flag : ServerCommand.FLAGS) {
            assertTrue(help.contains("--" + flag.name()), flag.name());
            assertTrue(help.contains(flag.setting().key()), flag.setting().key());
        }
        assertTrue(help.contains("ORCHESTRATOR_SERVER_PORT"), help);
        String agentHelp = Cli.run(Map.of(), "", "agent", "--help").out();
        assertTrue(agentHelp.contains("agent.token              ORCHESTRATOR_AGENT_TOKEN, ORCHESTRATOR_JOIN_TOKEN"),
                agentHelp);
    }
}
