package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How listings are printed: the seed's {@code ps} and {@code events} lines, nodes, ports. */
class FormatTest {
    /** For comparing the JSON printed with the JSON answered. */
    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An answer as the CLI reads it. */
    static <T> T one(String text, Class<T> type) {
        try {
            return Wire.readAnswer(text.getBytes(StandardCharsets.UTF_8), type);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** An array answer as the CLI reads it. */
    static <T> List<T> list(String text, Class<T> type) {
        try {
            return Wire.readAnswers(text.getBytes(StandardCharsets.UTF_8), type);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    static String print(Table t) {
        var bytes = new ByteArrayOutputStream();
        t.print(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    static final String SEED_SERVICES = """
            [{"name":"api-server","image":"myapp:latest","replicas":3,"revision":1,"status":"running",
              "running":3,"healthy":3,"ports":[],"containers":[]},
             {"name":"worker","image":"worker:1","replicas":2,"revision":4,"status":"running",
              "running":2,"healthy":2,"ports":[],"containers":[]}]""";

    @Test
    void psPrintsTheSeedTable() {
        assertEquals("""
                NAME        STATUS   REPLICAS  HEALTH
                api-server  running  3/3       healthy
                worker      running  2/2       healthy
                """, print(PsCommand.table(services(SEED_SERVICES))));
    }

    @Test
    void psShowsPartialHealthAndStoppedServices() {
        assertEquals("""
                NAME   STATUS      REPLICAS  HEALTH
                api    degraded    2/3       2/3 healthy
                batch  stopped     0/0       -
                web    converging  1/2       0/2 healthy
                """,
                print(PsCommand.table(services("""
                [{"name":"api","status":"degraded","replicas":3,"running":2,"healthy":2},
                 {"name":"batch","status":"stopped","replicas":0,"running":0,"healthy":0},
                 {"name":"web","status":"converging","replicas":2,"running":1,"healthy":0}]"""))));
    }

    @Test
    void psHealthColumn() {
        assertEquals("healthy", PsCommand.health(3, 3));
        assertEquals("2/3 healthy", PsCommand.health(2, 3));
        assertEquals("0/1 healthy", PsCommand.health(0, 1));
        assertEquals("-", PsCommand.health(0, 0));
    }

    @Test
    void psOfNoServiceIsTheHeader() {
        assertEquals("NAME  STATUS  REPLICAS  HEALTH\n", print(PsCommand.table(services("[]"))));
    }

    @Test
    void eventLinesAsInTheSeed() {
        assertEquals("[2024-01-15 10:23:45] Container api-server-2 failed health check", EventsCommand.line(event("""
                {"timestamp":"2024-01-15T10:23:45Z","type":"health_check","service":"api-server",
                 "container":"api-server-2","message":"Container api-server-2 failed health check"}""")));
        // Always UTC, whatever the offset and fraction the server writes.
        assertEquals("[2024-01-15 10:23:46] Restarting api-server-2...", EventsCommand.line(event("""
                {"timestamp":"2024-01-15T11:23:46.789+01:00","type":"container","message":"Restarting api-server-2..."}""")));
        assertEquals("[not-a-time] node", EventsCommand.line(event("{\"timestamp\":\"not-a-time\",\"type\":\"node\"}")));
    }

    @Test
    void sinceReadsInstantsUtcTimesDatesAndDurations() {
        assertEquals(Instant.parse("2024-01-15T10:23:45Z"), EventsCommand.since("2024-01-15T10:23:45Z", Cli.CLOCK));
        assertEquals(Instant.parse("2024-01-15T09:23:45Z"),
                EventsCommand.since("2024-01-15T10:23:45+01:00", Cli.CLOCK));
        assertEquals(Instant.parse("2024-01-15T10:23:45Z"), EventsCommand.since("2024-01-15 10:23:45", Cli.CLOCK));
        assertEquals(Instant.parse("2024-01-15T00:00:00Z"), EventsCommand.since("2024-01-15", Cli.CLOCK));
        assertEquals(Instant.parse("2024-01-15T10:23:45Z"), EventsCommand.since("10m", Cli.CLOCK));
        assertEquals(Instant.parse("2024-01-14T10:33:45Z"), EventsCommand.since("24h", Cli.CLOCK));
        assertEquals("--since must be a time such as 2024-01-15T10:23:45Z or a duration such as 10m, got 'yesterday'",
                assertThrows(CliException.class, () -> EventsCommand.since("yesterday", Cli.CLOCK)).getMessage());
    }

    @Test
    void nodesTableWithHumanMemoryAndAllocation() {
        assertEquals("""
                NAME    STATUS  AVAILABILITY  ADDRESS     CPUS  MEMORY    ALLOCATED        CONTAINERS
                node-1  ready   active        127.0.0.11  2     24.0GiB   1.0cpu/128.0MiB  3
                node-2  down    draining      10.0.0.2    16    512.0MiB  0.0cpu/0B        0
                node-3  ready   cordoned      10.0.0.3    4     8.0GiB    2.5cpu/1.5GiB    5
                """,
                print(NodesCommand.table(nodes("""
                [{"id":"node-1","address":"127.0.0.11","status":"ready","availability":"active",
                  "labels":{"disk":"ssd"},"cpus":2,"memory_bytes":25769803776,"allocated_cpu_shares":1024,
                  "allocated_memory_bytes":134217728,"containers":3,"runtime_version":"20.10.24",
                  "last_heartbeat":"2026-11-27T12:00:00Z","local":true},
                 {"id":"node-2","address":"10.0.0.2","status":"down","availability":"draining","cpus":16,
                  "memory_bytes":536870912,"allocated_cpu_shares":0,"allocated_memory_bytes":0,"containers":0,
                  "last_heartbeat":null,"local":false},
                 {"id":"node-3","address":"10.0.0.3","status":"ready","availability":"cordoned","cpus":4,
                  "memory_bytes":8589934592,"allocated_cpu_shares":2560,"allocated_memory_bytes":1610612736,
                  "containers":5,"local":false}]"""))));
    }

    @Test
    void nodesOfAnOlderServerShowDashes() {
        // The single-node server's answer: no availability, no allocation.
        assertEquals("""
                NAME    STATUS  AVAILABILITY  ADDRESS    CPUS  MEMORY   ALLOCATED  CONTAINERS
                node-1  ready   -             127.0.0.1  2     24.0GiB  -          3
                """,
                print(NodesCommand.table(nodes("""
                [{"id":"node-1","address":"127.0.0.1","status":"ready","cpus":2,"memory_bytes":25769803776,
                  "runtime_version":"20.10.24","containers":3,"labels":{}}]"""))));
    }

    @Test
    void allocatedColumn() {
        assertEquals("1.0cpu/128.0MiB", NodesCommand.allocated(node(
                "{\"allocated_cpu_shares\":1024,\"allocated_memory_bytes\":134217728}")));
        assertEquals("0.5cpu/-", NodesCommand.allocated(node("{\"allocated_cpu_shares\":512}")));
        assertEquals("-/1.0GiB", NodesCommand.allocated(node(
                "{\"allocated_cpu_shares\":null,\"allocated_memory_bytes\":1073741824}")));
        assertEquals("-", NodesCommand.allocated(node("{}")));
    }

    @Test
    void tokensTableInUtc() {
        assertEquals("""
                ID      CREATED
                3f9a1c  2026-11-27 12:00:00
                77aa01  2026-11-27 12:00:00
                b0b0b0  -
                """,
                print(TokenCommand.table(tokens("""
                [{"id":"3f9a1c","created_at":"2026-11-27T12:00:00Z"},
                 {"id":"77aa01","created_at":"2026-11-27T13:00:00.5+01:00"},
                 {"id":"b0b0b0","created_at":null}]"""))));
    }

    @Test
    void bytesInBinaryUnits() {
        assertEquals("0B", NodesCommand.bytes(0));
        assertEquals("1023B", NodesCommand.bytes(1023));
        assertEquals("1.0KiB", NodesCommand.bytes(1024));
        assertEquals("1.5MiB", NodesCommand.bytes(3L << 19));
        assertEquals("24.0GiB", NodesCommand.bytes(25_769_803_776L));
        assertEquals("1.0MiB", NodesCommand.bytes((1L << 20) - 1));
        assertEquals("2.0TiB", NodesCommand.bytes(2L << 40));
    }

    @Test
    void portsReadHostToContainer() {
        assertEquals("8080->8080/tcp, 9000/tcp, 53/udp", ServiceCommand.ports(ports("""
                [{"container_port":8080,"host_port":8080,"protocol":"tcp"},
                 {"container_port":9000,"host_port":0,"protocol":"tcp"},
                 {"container_port":53,"host_port":0,"protocol":"udp"}]""")));
        assertEquals("-", ServiceCommand.ports(ports("[]")));
    }

    @Test
    void settledMeansEveryDesiredReplicaRunsAtTheCurrentRevision() {
        assertTrue(Rollout.settled(service("{\"replicas\":3,\"running\":3,\"status\":\"running\",\"revision\":2}")));
        assertTrue(Rollout.settled(service("{\"replicas\":0,\"running\":0,\"status\":\"stopped\",\"revision\":2}")));
        assertFalse(Rollout.settled(service("{\"replicas\":3,\"running\":2,\"status\":\"degraded\",\"revision\":2}")));
        assertFalse(Rollout.settled(service("{\"replicas\":3,\"running\":3,\"status\":\"converging\",\"revision\":2}")));
        // Replicas that state their revision: an old one still running means the update goes on.
        assertFalse(Rollout.settled(service("""
                {"replicas":2,"running":2,"status":"running","revision":2,
                 "containers":[{"name":"a-0","revision":2},{"name":"a-1","revision":1}]}""")));
        assertTrue(Rollout.settled(service("""
                {"replicas":2,"running":2,"status":"running","revision":2,
                 "containers":[{"name":"a-0","revision":2},{"name":"a-1","revision":2}]}""")));
    }

    @Test
    void serviceDetail() {
        var bytes = new ByteArrayOutputStream();
        ServiceCommand.print(service("""
                {"name":"api-server","image":"myapp:latest","replicas":3,"revision":2,"status":"degraded",
                 "running":2,"healthy":2,"ports":[{"container_port":8080,"host_port":8080,"protocol":"tcp"}],
                 "containers":[
                  {"id":"abc123def456","name":"api-server-0","status":"running","health":"healthy",
                   "node_id":"node-1","restarts":0,"host_port":32768,"message":null},
                  {"id":"0123456789ab","name":"api-server-1","status":"running","health":"healthy",
                   "node_id":"node-2","restarts":1,"host_port":32769,"message":null},
                  {"id":null,"name":"api-server-2","status":"failed","health":"unhealthy",
                   "node_id":"node-1","restarts":5,"host_port":0,"message":"exited with status 1"}],
                 "spec":{"name":"api-server","image":"myapp:latest","health_check":{"type":"http",
                   "endpoint":"http://localhost:8080/health","interval":"10s","timeout":"2s","retries":3}}}"""),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals("""
                Service:   api-server
                Image:     myapp:latest
                Revision:  2
                Status:    degraded
                Replicas:  2/3 running
                Health:    2/3 healthy
                Ports:     8080->8080/tcp
                Probe:     http http://localhost:8080/health, every 10s

                NAME          ID            STATUS   HEALTH     NODE    RESTARTS
                api-server-0  abc123def456  running  healthy    node-1  0
                api-server-1  0123456789ab  running  healthy    node-2  1
                api-server-2  -             failed   unhealthy  node-1  5

                api-server-2: exited with status 1
                """, bytes.toString(StandardCharsets.UTF_8));
    }

    private static List<Views.Service> services(String text) {
        return list(text, Views.Service.class);
    }

    private static Views.Service service(String text) {
        return one(text, Views.Service.class);
    }

    private static Views.Event event(String text) {
        return one(text, Views.Event.class);
    }

    private static List<Views.Node> nodes(String text) {
        return list(text, Views.Node.class);
    }

    private static Views.Node node(String text) {
        return one(text, Views.Node.class);
    }

    private static List<Views.Token> tokens(String text) {
        return list(text, Views.Token.class);
    }

    private static List<Views.Port> ports(String text) {
        return list(text, Views.Port.class);
    }
}
