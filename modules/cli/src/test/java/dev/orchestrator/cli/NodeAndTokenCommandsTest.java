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
import org.junit.jupiter.params.provider.CsvSource;

/** The multi-node commands, {@code token} and {@code node}, through {@link Main} against a fake server. */
class NodeAndTokenCommandsTest {
    private static final String TOKEN = "orc1.3f9a1c.Zm9vYmFyYmF6cXV4";
    private static final String CREATED = """
            {"id":"3f9a1c","token":"%s","created_at":"2026-11-27T12:00:00Z"}""".formatted(TOKEN);
    private static final String NODE_1 = """
            {"id":"node-1","address":"127.0.0.11","status":"ready","availability":"%s","labels":{"disk":"ssd"},
             "cpus":2,"memory_bytes":25769803776,"allocated_cpu_shares":1024,"allocated_memory_bytes":134217728,
             "containers":3,"runtime_version":"20.10.24","last_heartbeat":"2026-11-27T12:00:00Z","local":true}""";
    private static final String NOT_FOUND = "{\"error\":\"not_found\",\"message\":\"no node named 'node-9'\"}";

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
    void tokenPrintsOnlyTheToken() {
        server.json("POST", "/api/tokens", 201, CREATED);
        for (List<String> argv : List.of(List.of("token"), List.of("token", "create"), List.of("token", "-o", "table"))) {
            Cli.Result r = Cli.against(server, argv.toArray(String[]::new));
            assertEquals(0, r.status(), argv + ": " + r.err());
            assertEquals(TOKEN + "\n", r.out(), argv.toString());
            assertEquals("", r.err(), argv.toString());
        }
        for (FakeServer.Request request : server.requests()) {
            assertEquals("POST", request.method());
            assertEquals("/api/tokens", request.path());
            assertEquals("", request.body());
            assertTrue(request.authorization().startsWith("Basic "));
        }
        assertEquals(3, server.requests().size());
    }

    @Test
    void tokenJsonIsTheAnswer() {
        server.json("POST", "/api/tokens", 201, CREATED);
        Cli.Result r = Cli.against(server, "token", "create", "-o", "json");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                {
                  "id": "3f9a1c",
                  "token": "%s",
                  "created_at": "2026-11-27T12:00:00Z"
                }
                """.formatted(TOKEN), r.out());
    }

    @Test
    void anAnswerWithoutATokenPrintsNothing() {
        server.json("POST", "/api/tokens", 201, "{\"id\":\"3f9a1c\",\"token\":\"two\\nlines\"}");
        Cli.Result r = Cli.against(server, "token");
        assertEquals(1, r.status());
        assertEquals("", r.out());
        assertEquals("error: the server at " + server.url() + " answered POST /api/tokens without a token:"
                + " is it an orchestrator server of this version?\n", r.err());
    }

    @Test
    void tokenLsListsIdAndCreated() {
        server.json("GET", "/api/tokens", 200, """
                [{"id":"3f9a1c","created_at":"2026-11-27T12:00:00Z"},{"id":"a0b1c2","created_at":"2026-11-28T08:30:00Z"}]""");
        Cli.Result r = Cli.against(server, "token", "ls");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                ID      CREATED
                3f9a1c  2026-11-27 12:00:00
                a0b1c2  2026-11-28 08:30:00
                """, r.out());
        assertEquals("GET", server.requests().getFirst().method());
        Cli.Result json = Cli.against(server, "token", "ls", "--output=json");
        assertEquals(FormatTest.json("""
                [{"id":"3f9a1c","created_at":"2026-11-27T12:00:00Z"},{"id":"a0b1c2","created_at":"2026-11-28T08:30:00Z"}]"""),
                FormatTest.json(json.out()));
    }

    @Test
    void tokenRmRevokes() {
        server.answer("DELETE", "/api/tokens/3f9a1c", 204, "application/json", "");
        Cli.Result r = Cli.against(server, "token", "rm", "3f9a1c");
        assertEquals(0, r.status(), r.err());
        assertEquals("Token 3f9a1c revoked\n", r.out());
        assertEquals("DELETE", server.requests().getFirst().method());
        assertEquals("/api/tokens/3f9a1c", server.requests().getFirst().path());
    }

    @Test
    void tokenRmOfAnUnknownIdIsTheServersMessage() {
        server.json("DELETE", "/api/tokens/ffffff", 404, "{\"error\":\"not_found\",\"message\":\"no token 'ffffff'\"}");
        Cli.Result r = Cli.against(server, "token", "rm", "ffffff");
        assertEquals(1, r.status());
        assertEquals("error: no token 'ffffff'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void tokenRmOfTheTokenItselfDoesNotEchoIt() {
        Cli.Result r = Cli.against(server, "token", "rm", TOKEN);
        assertEquals(2, r.status());
        assertEquals("error: token rm needs the token's ID, as 'orchestrator token ls' lists it, not the token"
                + " itself\n", r.err());
        assertFalse(r.err().contains("Zm9v"));
        assertEquals(List.of(), server.requests());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            cordon   | cordoned | Node node-1 cordoned: no new replicas are placed on it
            uncordon | active   | Node node-1 is schedulable again
            drain    | draining | Node node-1 draining: its replicas move to other nodes, each replacement healthy before the old one stops
            """)
    void availabilityChangesPostAndPrintTheirLine(String action, String availability, String line) {
        server.json("POST", "/api/nodes/node-1/" + action, 200, NODE_1.formatted(availability));
        Cli.Result r = Cli.against(server, "node", action, "node-1");
        assertEquals(0, r.status(), r.err());
        assertEquals(line + "\n", r.out());
        assertEquals("", r.err());
        List<FakeServer.Request> requests = server.requests();
        assertEquals(1, requests.size());
        assertEquals("POST", requests.getFirst().method());
        assertEquals("/api/nodes/node-1/" + action, requests.getFirst().path());
        assertEquals("", requests.getFirst().body());
        assertTrue(requests.getFirst().authorization().startsWith("Basic "));

        Cli.Result json = Cli.against(server, "node", action, "node-1", "-o", "json");
        assertEquals(0, json.status(), json.err());
        assertEquals(FormatTest.json(NODE_1.formatted(availability)), FormatTest.json(json.out()));
    }

    @Test
    void nodeRmDeletesTheNodeForcedOnlyWhenAsked() {
        server.json("DELETE", "/api/nodes/node-2", 409, "{\"error\":\"conflict\",\"message\":\"node node-2 is ready\"}");
        Cli.Result ready = Cli.against(server, "node", "rm", "node-2");
        assertEquals(1, ready.status());
        assertEquals("error: node node-2 is ready\n", ready.err());

        server.json("DELETE", "/api/nodes/node-3", 200, "{\"name\":\"node-3\",\"deleted\":true}");
        Cli.Result forced = Cli.against(server, "node", "rm", "node-3", "--force");
        assertEquals(0, forced.status(), forced.err());
        assertEquals("Node node-3 removed; its credential is revoked\n", forced.out());
        assertEquals("force=true", server.requests().getLast().query());
        assertEquals(null, server.requests().getFirst().query(), "not forced unless asked");
        assertEquals(2, Cli.against(server, "node", "cordon", "node-2", "--force").status(), "--force is rm's");
    }

    @Test
    void unknownNodeIsTheServersMessage() {
        server.json("POST", "/api/nodes/node-9/drain", 404, NOT_FOUND);
        Cli.Result r = Cli.against(server, "node", "drain", "node-9");
        assertEquals(1, r.status());
        assertEquals("error: no node named 'node-9'\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void badNodeNameIsRefusedBeforeAnyRequest() {
        Cli.Result r = Cli.against(server, "node", "cordon", "Node_1");
        assertEquals(2, r.status());
        assertEquals("error: node name must be a DNS label (1-63 characters of a-z, 0-9 and '-', not starting or"
                + " ending with '-'), got 'Node_1'\n", r.err());
        assertEquals("", r.out());
        assertEquals(List.of(), server.requests());
    }

    @Test
    void badUsageSendsNothing() {
        for (List<String> argv : List.of(
                List.of("node"),
                List.of("node", "reboot", "node-1"),
                List.of("node", "cordon"),
                List.of("node", "drain", "node-1", "node-2"),
                List.of("node", "uncordon", "-node-1"),
                List.of("node", "drain", "node-"),
                List.of("node", "cordon", "a".repeat(64)),
                List.of("node", "cordon", "node-1", "-o", "yaml"),
                List.of("node", "ls", "node-1"),
                List.of("node", "ls", "--url", "localhost"),
                List.of("token", "revoke", "3f9a1c"),
                List.of("token", "create", "extra"),
                List.of("token", "ls", "extra"),
                List.of("token", "-o", "yaml"),
                List.of("token", "rm"),
                List.of("token", "rm", "a", "b"),
                List.of("token", "rm", "../nodes"),
                List.of("token", "rm", "3f9a1c", "-o", "json"))) {
            Cli.Result r = Cli.against(server, argv.toArray(String[]::new));
            assertEquals(2, r.status(), argv + ": " + r.err());
            assertTrue(r.err().startsWith("error: ") && r.err().indexOf('\n') == r.err().length() - 1,
                    argv + ": " + r.err());
            assertEquals("", r.out(), argv.toString());
        }
        assertEquals(List.of(), server.requests());
        assertEquals("error: node needs a subcommand: ls, cordon, uncordon, drain or rm (see orchestrator node --help)\n",
                Cli.against(server, "node").err());
        assertEquals("error: unknown node subcommand 'reboot': use ls, cordon, uncordon, drain or rm"
                + " (see orchestrator node --help)\n", Cli.against(server, "node", "reboot").err());
    }

    @Test
    void nodeLsIsNodes() {
        String nodes = "[" + NODE_1.formatted("cordoned") + "]";
        server.json("GET", "/api/nodes", 200, nodes);
        Cli.Result r = Cli.against(server, "node", "ls");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                NAME    STATUS  AVAILABILITY  ADDRESS     CPUS  MEMORY   ALLOCATED        CONTAINERS
                node-1  ready   cordoned      127.0.0.11  2     24.0GiB  1.0cpu/128.0MiB  3
                """, r.out());
        assertEquals(r.out(), Cli.against(server, "nodes").out());
        assertEquals(Cli.against(server, "nodes", "-o", "json").out(), Cli.against(server, "node", "ls", "-o", "json").out());
        assertEquals(FormatTest.json(nodes), FormatTest.json(Cli.against(server, "node", "-o", "json", "ls").out()));
    }

    @Test
    void helpTellsHowAgentsJoinAndWhatTheServerKeeps() {
        String help = Cli.run(Map.of(), "", "token", "--help").out();
        assertTrue(help.contains("orchestrator agent --server URL --token T"), help);
        assertTrue(help.contains("T=$(orchestrator token)"), help);
        assertTrue(help.contains("shown this once") && help.contains("SHA-256 hash"), help);
        assertTrue(help.contains("Several tokens may be valid at once"), help);
        assertTrue(help.contains("refuses new heartbeats"), help);
        assertEquals(help, Cli.run(Map.of(), "", "token", "rm", "--help").out());
        String node = Cli.run(Map.of(), "", "node", "drain", "--help").out();
        assertTrue(node.startsWith("Usage: orchestrator node ls"), node);
        String usage = Cli.run(Map.of(), "", "--help").out();
        assertTrue(usage.contains("\n  node       ") && usage.contains("\n  token      "), usage);
    }
}
