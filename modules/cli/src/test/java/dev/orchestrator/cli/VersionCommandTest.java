package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** orchestrator version: the CLI's version, then the server's; one line when it cannot be asked. */
class VersionCommandTest {
    private static final String CLI_LINE = "orchestrator " + Home.version() + " (Java ";

    @Test
    void printsTheClisAndTheServersVersions() throws Exception {
        try (var server = new FakeServer()) {
            server.json("GET", "/api/version", 200, "{\"version\":\"0.9.1\",\"protocol_versions\":[1,2]}");
            Cli.Result r = Cli.against(server, "version");
            assertEquals(0, r.status(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(2, lines.size(), r.out());
            assertTrue(lines.get(0).startsWith(CLI_LINE), r.out());
            assertTrue(lines.get(1).matches("server 0\\.9\\.1 at http://127\\.0\\.0\\.1:\\d+ \\(node protocol 1, 2\\)"),
                    r.out());
            assertEquals("/api/version", server.requests().getFirst().path());
        }
    }

    @Test
    void anUnreachableServerIsOneLineAndStillSucceeds() {
        Cli.Result r = Cli.run(Map.of("ORCHESTRATOR_URL", "http://127.0.0.1:1"), "", "version");
        assertEquals(0, r.status(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(0).startsWith(CLI_LINE), r.out());
        assertEquals(List.of("server: unknown: cannot reach the orchestrator server at http://127.0.0.1:1:"
                + " connection refused"), lines.subList(1, lines.size()));
        assertEquals("", r.err());
    }

    @Test
    void clientAndDashDashVersionAskNoServer() throws Exception {
        try (var server = new FakeServer()) {
            for (String[] argv : List.of(new String[] {"--version"}, new String[] {"version", "--client"})) {
                Cli.Result r = Cli.against(server, argv);
                assertEquals(0, r.status(), r.err());
                assertEquals(1, r.out().lines().count(), r.out());
                assertTrue(r.out().startsWith(CLI_LINE), r.out());
            }
            assertEquals(0, server.requests().size());
        }
    }
}
