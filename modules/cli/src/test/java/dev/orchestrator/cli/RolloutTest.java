package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy} and {@code rollback} follow the service's {@code deployment}: progress lines as
 * the counts change, success once it succeeded and the replicas run, failure when a rollback
 * took over or it paused.
 */
class RolloutTest {
    private FakeServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * @param revision   the service's revision
     * @param running    running replicas of 3
     * @param status     the service's status
     * @param deployment the deployment object, or null for none
     */
    private static String service(long revision, int running, String status, String deployment) {
        return """
                {"name":"web","image":"web:2","replicas":3,"revision":%d,"status":"%s","running":%d,"healthy":%d,
                 "ports":[],"containers":[]%s}""".formatted(revision, status, running, running,
                deployment == null ? "" : ",\"deployment\":" + deployment);
    }

    private static String deployment(long revision, long from, String status, boolean rollback, String message,
                                     int updated, int healthy) {
        return """
                {"revision":%d,"from_revision":%d,"status":"%s","rollback":%b,"message":%s,"replicas":3,
                 "updated":%d,"healthy":%d,"started_at":"2024-01-15T10:33:40Z","updated_at":"2024-01-15T10:33:45Z"}"""
                .formatted(revision, from, status, rollback, message == null ? "null" : "\"" + message + "\"",
                        updated, healthy);
    }

    @Test
    void deployPrintsProgressWhenItChangesAndEndsWhenTheRolloutSucceeded() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        // The server has not begun the rollout yet: the view still shows the last one.
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(1, 0, "succeeded", false, null, 3, 3)));
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(2, 1, "running", false, "1/3 updated", 1, 0)));
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(2, 1, "running", false, "1/3 updated", 1, 1)));
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(2, 1, "running", false, "1/3 updated", 1, 1)));
        server.json("GET", "/api/services/web", 200, service(2, 3, "running",
                deployment(2, 1, "succeeded", false, "3/3 updated", 3, 3)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2", "--wait");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                web: updated, revision 2
                web: revision 2: 1/3 updated, 0 healthy
                web: revision 2: 1/3 updated, 1 healthy
                web: revision 2: 3/3 updated, 3 healthy
                web: 3/3 running
                """, r.out());
    }

    @Test
    void aSucceededRolloutStillWaitsForTheReplicasToRun() {
        server.json("POST", "/api/deploy", 200, service(2, 2, "converging", null));
        server.json("GET", "/api/services/web", 200, service(2, 2, "converging",
                deployment(2, 1, "succeeded", false, null, 3, 3)));
        server.json("GET", "/api/services/web", 200, service(2, 3, "running",
                deployment(2, 1, "succeeded", false, null, 3, 3)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().endsWith("web: revision 2: 3/3 updated, 3 healthy\nweb: 3/3 running\n"), r.out());
        assertEquals(2, server.requests().stream().filter(q -> q.path().equals("/api/services/web")).count(),
                "polled again after 'succeeded', until 3/3 run");
    }

    @Test
    void aRollbackThatTookOverFailsWithTheReasonItsEventGives() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(2, 1, "running", false, "1/3 updated, 0 serving", 1, 0)));
        server.json("GET", "/api/services/web", 200, service(3, 3, "converging",
                deployment(3, 2, "running", true, "started", 0, 0)));
        server.json("GET", "/api/events", 200, """
                [{"timestamp":"2024-01-15T10:33:44Z","type":"rollout","service":"web","container":null,"id":9,\
                "node":null,"message":"rollback: web-0 failed to update: exited (code 1); rolling web back from\
                 revision 2 to revision 1"}]""");
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2");
        assertEquals(1, r.status());
        // (The fake answers the image events' query with the rollout event too: deploy prints it as a pull.)
        assertTrue(r.out().startsWith("web: updated, revision 2\nweb: revision 2: 1/3 updated, 0 healthy\n"), r.out());
        assertEquals("error: web: rolled back to revision 1 (revision 2 failed: web-0 failed to update: exited"
                + " (code 1))\n", r.err());
        assertTrue(server.requests().stream().anyMatch(q -> q.path().equals("/api/events")
                && q.query().contains("type=rollout") && q.query().contains("service=web")));
    }

    @Test
    void aRollbackThatTookOverFailsEvenWithoutItsEvent() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(2, 1, "running", false, null, 1, 0)));
        server.json("GET", "/api/services/web", 200, service(3, 3, "converging",
                deployment(3, 2, "running", true, "started", 0, 0)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2");
        assertEquals(1, r.status());
        assertEquals("error: web: rolled back to revision 1 (revision 2 failed; see 'orchestrator events"
                + " --service web')\n", r.err());
    }

    @Test
    void aRolloutRolledBackBeforeItWasSeenFails() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(3, 3, "converging",
                deployment(3, 2, "running", true, null, 0, 0)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2");
        assertEquals(1, r.status());
        assertEquals("error: web: rolled back, now revision 3 (revision 2 failed; see 'orchestrator events"
                + " --service web')\n", r.err());
    }

    @Test
    void aRolledBackStatusFails() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(2, 1, "rolled_back", false, "rollback: web-1 unhealthy", 2, 1)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2");
        assertEquals(1, r.status());
        assertEquals("error: web: rolled back to revision 1 (revision 2 failed: web-1 unhealthy)\n", r.err());
    }

    @Test
    void aPausedRolloutFailsAndShowsTheReplicas() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(2, 3, "degraded",
                deployment(2, 1, "paused", false, "rollout paused: web-1 exited (code 1)", 2, 1)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2",
                "--update-failure-action", "pause");
        assertEquals(1, r.status());
        assertTrue(r.out().contains("web: revision 2: 2/3 updated, 1 healthy\nweb: 3/3 running, 3/3 healthy,"
                + " status degraded\n"), r.out());
        assertEquals("error: web: rollout of revision 2 paused: web-1 exited (code 1); deploy again or run"
                + " 'orchestrator rollback web'\n", r.err());
        assertTrue(server.requests().getFirst().body().contains("\"update\":{\"failure_action\":\"pause\"}"),
                server.requests().getFirst().body());
    }

    @Test
    void aNewerDeployEndsTheWait() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(4, 3, "converging",
                deployment(4, 2, "running", false, null, 1, 0)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2");
        assertEquals(1, r.status());
        assertTrue(r.err().startsWith("error: web: revision 2 was superseded by revision 4"), r.err());
    }

    @Test
    void aTimeoutDuringTheRolloutSaysSo() {
        server.json("POST", "/api/deploy", 200, service(2, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(2, 3, "converging",
                deployment(2, 1, "running", false, null, 1, 0)));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2", "--timeout", "600ms");
        assertEquals(1, r.status());
        assertEquals("""
                web: updated, revision 2
                web: revision 2: 1/3 updated, 0 healthy
                web: 3/3 running, 3/3 healthy, status converging
                """, r.out());
        assertEquals("error: web: not every replica running after 600ms (3/3 running);"
                + " see 'orchestrator events --service web'\n", r.err());
    }

    @Test
    void detachReturnsAtOnceWithTheRevision() {
        server.json("POST", "/api/deploy", 201, service(1, 0, "converging", null));
        Cli.Result r = Cli.against(server, "deploy", "--name", "web", "--image", "web:2", "--detach");
        assertEquals(0, r.status(), r.err());
        assertEquals("web: created, revision 1\n", r.out());
        assertEquals(1, server.requests().size());
    }

    @Test
    void rollbackFollowsItsOwnRollout() {
        server.json("POST", "/api/services/web/rollback", 200, service(3, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(3, 3, "converging",
                deployment(3, 2, "running", true, null, 2, 2)));
        server.json("GET", "/api/services/web", 200, service(3, 3, "running",
                deployment(3, 2, "succeeded", true, null, 3, 3)));
        Cli.Result r = Cli.against(server, "rollback", "web");
        assertEquals(0, r.status(), r.err());
        assertEquals("""
                web: rolled back to the previous revision, now revision 3
                web: revision 3: 2/3 updated, 2 healthy
                web: revision 3: 3/3 updated, 3 healthy
                web: 3/3 running
                """, r.out());
    }

    @Test
    void rollbackRefusesWaitWithDetach() {
        Cli.Result r = Cli.against(server, "rollback", "web", "--wait", "--detach");
        assertEquals(2, r.status());
        assertEquals("error: --wait and --detach exclude each other\n", r.err());
        assertEquals(0, server.requests().size());
    }

    @Test
    void aServerWithoutRolloutsIsWaitedForByTheReplicas() {
        server.json("POST", "/api/services/web/rollback", 200, service(3, 3, "converging", null));
        server.json("GET", "/api/services/web", 200, service(3, 3, "running", null));
        Cli.Result r = Cli.against(server, "rollback", "web", "--to", "1");
        assertEquals(0, r.status(), r.err());
        assertEquals("web: rolled back to revision 1, now revision 3\nweb: 3/3 running\n", r.out());
    }
}
