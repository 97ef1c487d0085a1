package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each client command through {@link Main}, against a fake server: what is sent, printed, returned. */
class CommandsTest {
    private static final String SERVICE_3_OF_3 = """
            {"name":"api-server","image":"myapp:latest","replicas":3,"revision":1,"status":"running",
             "running":3,"healthy":3,"ports":[],"containers":[]}""";
    private static final String SERVICE_1_OF_3 = """
            {"name":"api-server","image":"myapp:latest","replicas":3,"revision":1,"status":"degraded",
             "running":1,"healthy":1,"ports":[],"containers":[
              {"id":"abc123def456","name":"api-server-0","status":"running","health":"healthy","node_id":"node-1",
               "restarts":0,"host_port":32768,"message":null},
              {"id":null,"name":"api-server-1","status":"failed","health":"none","node_id":"node-1",
               "restarts":0,"host_port":0,"message":"image myapp:latest not found on node-1"}]}""";

    private FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void statsNoStreamPrintsOneTableWithUnknownsAsDashes() {
        server.json("GET", "/api/services/api-server", 200, """
                {"name":"api-server","image":"myapp:latest","replicas":3,"revision":1,"status":"running",
                 "running":2,"healthy":2,"ports":[],"containers":[
                  {"id":"abc123def456","name":"api-server-0","status":"running","health":"healthy","node_id":"node-1",
                   "restarts":0,"host_port":0,"message":null,"cpu_percent":1.5,"memory_bytes":12373196,
                   "memory_limit_bytes":268435456},
                  {"id":"def456abc123","name":"api-server-1","status":"running","health":"healthy","node_id":"node-2",
                   "restarts":0,"host_port":0,"message":null,"memory_bytes":2048},
                  {"id":null,"name":"api-server-2","status":"pending","health":"none","node_id":null,
                   "restarts":0,"host_port":0,"message":null}]}""");
        Cli.Result r = Cli.against(server, "stats", "api-server", "--no-stream");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                NAME          NODE    CPU %  MEM USAGE / LIMIT   MEM %
                api-server-0  node-1  1.50%  11.8MiB / 256.0MiB  4.61%
                api-server-1  node-2  --     2.0KiB / --         --
                """, r.out());
        assertEquals(1, server.requests().size(), "--no-stream: one read");
    }

    @Test
    void deploySendsTheSeedJsonThenWaits() {
        server.json("POST", "/api/deploy", 201, SERVICE_1_OF_3.replace("\"revision\":1", "\"revision\":1"));
        server.json("GET", "/api/services/api-server", 200, SERVICE_1_OF_3);
        server.json("GET", "/api/services/api-server", 200, SERVICE_3_OF_3);
        server.json("GET", "/api/events", 200, """
                [{"timestamp":"2024-01-15T10:23:45Z","type":"image","service":"api-server","container":null,
                  "message":"Pulled image myapp:latest on node-1 (31.2 MB downloaded in 4.1 s)","id":7,
                  "node":"node-1"}]""");
        Cli.Result r = Cli.against(server, "deploy", "--name", "api-server", "--image", "myapp:latest",
                "--replicas", "3", "--port", "8080:8080", "--memory", "512m", "--cpu-shares", "1024",
                "--health-http", "http://localhost:8080/health");
        assertEquals(0, r.status(), r.err());
        assertEquals("api-server: created, revision 1\n[2024-01-15 10:23:45] Pulled image myapp:latest on node-1"
                + " (31.2 MB downloaded in 4.1 s)\napi-server: 3/3 running\n", r.out(), "a pull is shown once");
        assertEquals("", r.err());
        List<FakeServer.Request> requests = server.requests();
        assertTrue(requests.get(2).query().startsWith("type=image&limit=1000&service=api-server&since="),
                requests.get(2).query());
        requests = requests.stream().filter(q -> !q.path().equals("/api/events")).toList();
        assertEquals(3, requests.size());
        assertEquals("POST", requests.get(0).method());
        assertEquals(DeployCommand.plan(List.of("--name", "api-server", "--image", "myapp:latest", "--replicas", "3",
                "--port", "8080:8080", "--memory", "512m", "--cpu-shares", "1024", "--health-http",
                "http://localhost:8080/health")).body().toString(), requests.get(0).body());
        assertEquals("application/json", requests.get(0).contentType());
        assertTrue(requests.get(0).authorization().startsWith("Basic "));
    }

    @Test
    void deployDetachedDoesNotWait() {
        server.json("POST", "/api/deploy", 200, SERVICE_1_OF_3.replace("\"revision\":1", "\"revision\":2"));
        Cli.Result r = Cli.against(server, "deploy", "--name", "api-server", "--image", "myapp:2", "--detach");
        assertEquals(0, r.status(), r.err());
        assertEquals("api-server: updated, revision 2\n", r.out());
        assertEquals(1, server.requests().size());
    }

    @Test
    void deployTimeoutShowsTheReplicasAndFails() {
        server.json("POST", "/api/deploy", 201, SERVICE_1_OF_3);
        server.json("GET", "/api/services/api-server", 200, SERVICE_1_OF_3);
        Cli.Result r = Cli.against(server, "deploy", "--name", "api-server", "--image", "myapp:latest",
                "--replicas", "3", "--timeout", "600ms");
        assertEquals(1, r.status());
        assertEquals("""
                api-server: created, revision 1
                api-server: 1/3 running, 1/3 healthy, status degraded
                NAME          STATUS   HEALTH   MESSAGE
                api-server-0  running  healthy  -
                api-server-1  failed   none     image myapp:latest not found on node-1
                """, r.out());
        assertEquals("error: api-server: not every replica running after 600ms (1/3 running);"
                + " see 'orchestrator events --service api-server'\n", r.err());
        assertTrue(server.requests().size() >= 3, "polled every 500ms: " + server.requests().size());
    }

    @Test
    void deployWaitsThroughARollingUpdate() {
        server.json("POST", "/api/deploy", 200, SERVICE_3_OF_3.replace("\"running\",", "\"converging\","));
        server.json("GET", "/api/services/api-server", 200, SERVICE_3_OF_3.replace("\"running\",", "\"converging\","));
        server.json("GET", "/api/services/api-server", 200, SERVICE_3_OF_3);
        Cli.Result r = Cli.against(server, "deploy", "--name", "api-server", "--image", "myapp:latest");
        assertEquals(0, r.status(), r.err());
        assertEquals(3, server.requests().stream().filter(q -> !q.path().equals("/api/events")).count());
    }

    @Test
    void badFlagsSendNothing() {
        for (List<String> argv : List.of(
                List.of("deploy", "--name", "api-server", "--image", "myapp", "--port", "80800:80"),
                List.of("deploy", "--name", "api-server", "--image", "myapp", "--health-tcp", "80", "--health-interval", "10 s"),
                List.of("deploy", "--name", "API", "--image", "myapp"),
                List.of("scale", "api-server"),
                List.of("scale", "api-server", "--replicas", "-1"),
                List.of("scale", "api-server", "--replicas", "2", "--timeout", "forever"),
                List.of("logs", "api-server", "--tail", "-1"),
                List.of("logs", "api-server", "-f", "--until", "1m"),
                List.of("events", "--since", "last week"),
                List.of("events", "--service", "Bad Name"),
                List.of("ps", "-o", "yaml"),
                List.of("ps", "extra"),
                List.of("service"),
                List.of("rm", "a", "b"),
                List.of("nodes", "--url", "localhost"))) {
            Cli.Result r = Cli.against(server, argv.toArray(String[]::new));
            assertEquals(2, r.status(), argv + ": " + r.err());
            assertTrue(r.err().startsWith("error: ") && r.err().indexOf('\n') == r.err().length() - 1,
                    argv + ": " + r.err());
            assertEquals("", r.out(), argv.toString());
        }
        assertEquals(List.of(), server.requests());
    }

    @Test
    void psPrintsTheSeedTable() {
        server.json("GET", "/api/services", 200, FormatTest.SEED_SERVICES);
        Cli.Result r = Cli.against(server, "ps");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                NAME        STATUS   REPLICAS  HEALTH
                api-server  running  3/3       healthy
                worker      running  2/2       healthy
                """, r.out());
    }

    @Test
    void psJsonIsTheApiJsonIndented() {
        server.json("GET", "/api/services", 200, "[{\"name\":\"a\",\"replicas\":1,\"ports\":[],\"spec\":{}}]");
        Cli.Result r = Cli.against(server, "ps", "-o", "json");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                [
                  {
                    "name": "a",
                    "replicas": 1,
                    "ports": [],
                    "spec": {}
                  }
                ]
                """, r.out());
    }

    @Test
    void aNewerServersFieldsChangeNoTableAndShowInTheJson() {
        String newer = """
                [{"name":"api-server","image":"myapp:latest","replicas":3,"revision":1,"status":"running",
                  "running":3,"healthy":3,"ports":[],"containers":[{"name":"api-server-0","zone":"b"}],
                  "labels":{"team":"x"}}]""";
        server.json("GET", "/api/services", 200, newer);
        Cli.Result r = Cli.against(server, "ps");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                NAME        STATUS   REPLICAS  HEALTH
                api-server  running  3/3       healthy
                """, r.out());
        Cli.Result json = Cli.against(server, "ps", "-o", "json");
        assertEquals(FormatTest.json(newer), FormatTest.json(json.out()));
    }

    @Test
    void serviceAndItsAlias() {
        server.json("GET", "/api/services/api-server", 200, SERVICE_1_OF_3);
        Cli.Result r = Cli.against(server, "inspect", "api-server");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().startsWith("Service:   api-server\n"), r.out());
        assertTrue(r.out().contains("\napi-server-1: image myapp:latest not found on node-1\n"), r.out());
        assertEquals(r.out(), Cli.against(server, "service", "api-server").out());
        assertEquals(FormatTest.json(SERVICE_1_OF_3), FormatTest.json(Cli.against(server, "service", "api-server",
                "--output=json").out()));
    }

    @Test
    void unknownServiceIsOneLineExitOne() {
        server.json("GET", "/api/services/nope", 404, "{\"error\":\"not_found\",\"message\":\"no service named 'nope'\"}");
        Cli.Result r = Cli.against(server, "service", "nope");
        assertEquals(1, r.status());
        assertEquals("error: no service named 'nope'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void scalePostsTheCountThenWaits() {
        server.json("POST", "/api/services/api-server/scale", 200, SERVICE_3_OF_3.replace("\"replicas\":3", "\"replicas\":5"));
        server.json("GET", "/api/services/api-server", 200, SERVICE_3_OF_3.replace("\"replicas\":3", "\"replicas\":5")
                .replace("\"running\":3", "\"running\":5"));
        Cli.Result r = Cli.against(server, "scale", "api-server", "--replicas", "5");
        assertEquals(0, r.status(), r.err());
        assertEquals("api-server: scaling to 5 replicas\napi-server: 5/5 running\n", r.out());
        assertEquals("{\"replicas\":5}", server.requests().getFirst().body());
    }

    @Test
    void logsPrintTheBodyAsIs() {
        server.answer("GET", "/api/services/api-server/logs", 200, "text/plain",
                "api-server-0 | listening on 8080\napi-server-1 | listening on 8080\n");
        Cli.Result r = Cli.against(server, "logs", "api-server", "--tail", "5");
        assertEquals(0, r.status(), r.err());
        assertEquals("api-server-0 | listening on 8080\napi-server-1 | listening on 8080\n", r.out());
        assertEquals("tail=5", server.requests().getFirst().query());
        Cli.against(server, "logs", "api-server");
        assertEquals(null, server.requests().get(1).query());
    }

    @Test
    void eventsAsInTheSeed() {
        server.json("GET", "/api/events", 200, """
                [{"timestamp":"2024-01-15T10:23:45Z","type":"health_check","service":"api-server",
                  "container":"api-server-2","message":"Container api-server-2 failed health check"},
                 {"timestamp":"2024-01-15T10:23:46Z","type":"container","service":"api-server",
                  "container":"api-server-2","message":"Restarting api-server-2..."},
                 {"timestamp":"2024-01-15T10:23:50Z","type":"health_check","service":"api-server",
                  "container":"api-server-2","message":"Container api-server-2 healthy"}]""");
        Cli.Result r = Cli.against(server, "events", "--service", "api-server", "--since", "10m", "--limit", "3");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                [2024-01-15 10:23:45] Container api-server-2 failed health check
                [2024-01-15 10:23:46] Restarting api-server-2...
                [2024-01-15 10:23:50] Container api-server-2 healthy
                """, r.out());
        assertEquals("service=api-server&since=2024-01-15T10:23:45Z&limit=3", server.requests().getFirst().query());
    }

    @Test
    void rmDeletes() {
        server.json("DELETE", "/api/services/api-server", 200, "{\"name\":\"api-server\",\"deleted\":true}");
        Cli.Result r = Cli.against(server, "rm", "api-server");
        assertEquals(0, r.status(), r.err());
        assertEquals("api-server removed\n", r.out());
        assertEquals("DELETE", server.requests().getFirst().method());
    }

    @Test
    void nodes() {
        server.json("GET", "/api/nodes", 200, """
                [{"id":"node-1","address":"127.0.0.1","status":"ready","cpus":2,"memory_bytes":25769803776,
                  "runtime_version":"20.10.24","containers":3,"labels":{}}]""");
        Cli.Result r = Cli.against(server, "nodes");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                NAME    STATUS  AVAILABILITY  ADDRESS    CPUS  MEMORY   ALLOCATED  CONTAINERS
                node-1  ready   -             127.0.0.1  2     24.0GiB  -          3
                """, r.out());
    }

    @Test
    void wrongPasswordIsOneLineWithoutThePassword() {
        server.json("GET", "/api/services", 401, "{\"error\":\"unauthenticated\",\"message\":\"bad credentials\"}");
        Cli.Result r = Cli.run(Map.of("ORCHESTRATOR_URL", server.url()), "", "ps", "--password", "hunter2");
        assertEquals(1, r.status());
        assertEquals("error: authentication failed for user 'admin' at " + server.url()
                + ": set ORCHESTRATOR_PASSWORD or --password\n", r.err());
        assertFalse(r.err().contains("hunter2"));
    }

    @Test
    void serverErrorWithoutJsonIsOneLine() {
        server.answer("GET", "/api/nodes", 500, "text/plain", "java.lang.NullPointerException\n\tat Foo.bar(Foo.java:1)\n");
        Cli.Result r = Cli.against(server, "nodes");
        assertEquals(1, r.status());
        assertEquals("error: the server at " + server.url() + " answered HTTP 500 to GET /api/nodes:"
                + " java.lang.NullPointerException\n", r.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy", "ps", "service", "inspect", "scale", "logs", "events", "rm", "nodes", "node",
        "token", "registry"})
    void everyClientCommandHasHelp(String command) {
        Cli.Result r = Cli.run(Map.of(), "", command, "--help");
        assertEquals(0, r.status());
        String name = command.equals("inspect") ? "service" : command;
        assertTrue(r.out().startsWith("Usage: orchestrator " + name), r.out());
        assertTrue(r.out().contains("--url URL") && r.out().contains("--password-stdin"), r.out());
        assertTrue(Cli.run(Map.of(), "", "--help").out().contains("\n  " + name + " "), name);
        assertEquals(r.out(), Cli.run(Map.of(), "", "help", command).out());
    }

    @Test
    void helpAfterDoubleDashBelongsToTheContainer() {
        server.json("POST", "/api/deploy", 201, SERVICE_3_OF_3);
        Cli.Result r = Cli.against(server, "deploy", "--name", "api-server", "--image", "myapp", "--detach",
                "--", "/app", "--help");
        assertEquals(0, r.status(), r.err());
        assertTrue(server.requests().getFirst().body().endsWith("\"command\":[\"/app\",\"--help\"]}"));
    }
}
