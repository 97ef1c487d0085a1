package dev.orchestrator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.wire.Wire;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code deploy}'s flags to the JSON of {@code POST /api/deploy}. */
class DeployCommandTest {
    private static String body(String... argv) {
        return DeployCommand.plan(List.of(argv)).body();
    }

    @Test
    void seedExampleGivesTheSeedJson() {
        String json = body("--name", "api-server", "--image", "myapp:latest", "--replicas", "3",
                "--port", "8080:8080", "--memory", "512m", "--cpu-shares", "1024",
                "--health-http", "http://localhost:8080/health");
        assertEquals("""
                {"name":"api-server","image":"myapp:latest","replicas":3,\
                "ports":[{"container_port":8080,"host_port":8080,"protocol":"tcp"}],\
                "resources":{"cpu_shares":1024,"memory_mb":512},\
                "health_check":{"type":"http","endpoint":"http://localhost:8080/health",\
                "interval":"10s","timeout":"2s","retries":3}}""", json);
    }

    @Test
    void stopAfterDisconnectIsSentAsGiven() {
        assertEquals("{\"name\":\"web\",\"image\":\"nginx\",\"stop_after_disconnect\":\"10s\"}",
                body("--name", "web", "--image", "nginx", "--stop-after-disconnect", "10s"));
    }

    @Test
    void onlyWhatIsGivenIsSent() {
        DeployCommand.Plan plan = DeployCommand.plan(List.of("--name", "web", "--image", "nginx"));
        assertEquals("{\"name\":\"web\",\"image\":\"nginx\"}", plan.body());
        assertEquals("web", plan.name());
        assertFalse(plan.detach());
        assertEquals(Duration.ofSeconds(120), plan.timeout());
    }

    @Test
    void everyFlag() {
        DeployCommand.Plan plan = DeployCommand.plan(List.of("--name=worker", "--image", "registry:5000/team/w:1.2",
                "--replicas", "0", "--port", "9000", "--port", "53/udp", "--port", "8443:443/TCP",
                "--env", "LOG_LEVEL=info", "--env", "DSN=a=b", "--env", "EMPTY=", "--restart", "on-failure",
                "--health-tcp", "9000", "--health-interval", "1500ms", "--health-timeout", "1s",
                "--health-retries", "5", "--health-start-period", "1m", "--detach", "--timeout", "30s",
                "--", "/app/worker", "--queue", "jobs", "--help"));
        assertEquals("""
                {"name":"worker","image":"registry:5000/team/w:1.2","replicas":0,\
                "ports":[{"container_port":9000,"host_port":0,"protocol":"tcp"},\
                {"container_port":53,"host_port":0,"protocol":"udp"},\
                {"container_port":443,"host_port":8443,"protocol":"tcp"}],\
                "health_check":{"type":"tcp","port":9000,"interval":"1500ms","timeout":"1s","retries":5,\
                "start_period":"1m"},\
                "env":{"DSN":"a=b","EMPTY":"","LOG_LEVEL":"info"},\
                "command":["/app/worker","--queue","jobs","--help"],\
                "restart_policy":"on-failure"}""", plan.body());
        assertTrue(plan.detach());
        assertEquals(Duration.ofSeconds(30), plan.timeout());
    }

    @Test
    void updateFlagsGiveTheUpdateObject() {
        assertEquals("""
                {"name":"web","image":"nginx","update":{"parallelism":2,"delay":"5s","order":"stop-first",\
                "monitor":"10s","failure_action":"pause","max_failure_ratio":0.2}}""", body("--name", "web",
                "--image", "nginx", "--update-parallelism", "2", "--update-delay", "5s", "--update-order", "Stop-First",
                "--update-monitor", "10s", "--update-failure-action", "pause", "--update-max-failure-ratio", "0.2"));
    }

    @Test
    void onlyTheUpdateFlagsGivenAreSent() {
        assertEquals("{\"name\":\"web\",\"image\":\"nginx\",\"update\":{\"delay\":\"0s\",\"monitor\":\"0s\"}}",
                body("--name", "web", "--image", "nginx", "--update-delay", "0", "--update-monitor", "0ms"));
        assertEquals("{\"name\":\"web\",\"image\":\"nginx\",\"update\":{\"max_failure_ratio\":1.0}}",
                body("--name", "web", "--image", "nginx", "--update-max-failure-ratio", "1"));
        assertEquals("{\"name\":\"web\",\"image\":\"nginx\",\"update\":{\"parallelism\":1}}",
                body("--name", "web", "--image", "nginx", "--update-parallelism", "1"), "a default given is sent");
    }

    @Test
    void waitIsTheDefault() {
        assertFalse(DeployCommand.plan(List.of("--name", "web", "--image", "nginx", "--wait")).detach());
        assertTrue(DeployCommand.plan(List.of("--name", "web", "--image", "nginx", "--detach")).detach());
    }

    @Test
    void healthCmdIsAnArgvNotAShellString() {
        String json = body("--name", "db", "--image", "postgres:16", "--health-cmd",
                "sh -c 'pg_isready -U \"$USER\" || exit 1'", "--health-start-period", "0s");
        assertEquals("""
                {"name":"db","image":"postgres:16","health_check":{"type":"exec",\
                "command":["sh","-c","pg_isready -U \\"$USER\\" || exit 1"],\
                "interval":"10s","timeout":"2s","retries":3}}""", json);
    }

    @Test
    void memoryIsRoundedUpToWholeMebibytes() {
        assertEquals("{\"memory_mb\":98}", resources("100000k"));
        assertEquals("{\"memory_mb\":1024}", resources("1g"));
        assertEquals("{\"memory_mb\":6}", resources("6291456"));
        assertEquals("{\"memory_mb\":7}", resources("6291457"));
    }

    private static String resources(String memory) {
        return new String(Wire.writeRequest(DeployCommand.plan(List.of("--name", "a", "--image", "b", "--memory",
                memory)).request().resources()), StandardCharsets.UTF_8);
    }

    static Stream<Arguments> badFlags() {
        return Stream.of(
                Arguments.of(List.of("--image", "x"), "deploy needs --name"),
                Arguments.of(List.of("--name", "x"), "deploy needs --image"),
                Arguments.of(List.of("--name", "Api_Server", "--image", "x"), "--name must be a DNS label"),
                Arguments.of(List.of("--name", "-api", "--image", "x"), "--name must be a DNS label"),
                Arguments.of(List.of("--name", "a", "--image", "My App"), "--image must be an image reference"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--replicas", "1001"), "--replicas must be in 0..1000"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--replicas", "three"), "--replicas must be an integer"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--port", "http"), "--port must be [HOST:]CONTAINER"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--port", "70000:80"), "host port must be a port"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--port", "8080:0"), "container port must be a port"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--port", "80/sctp"), "protocol must be tcp or udp"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--port", "53:53/udp"), "udp ports cannot be published"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--port", "80:80", "--port", "80:81"), "host_port 80/tcp is listed twice"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--env", "1X=2"), "--env key must be an environment variable name"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--env", "NOVALUE"), "--env must be KEY=VALUE"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--memory", "lots"), "--memory must be a size"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--memory", "1m"), "--memory must be between 6m and 1024g"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--cpu-shares", "1"), "--cpu-shares must be in 2..262144"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--restart", "sometimes"), "--restart must be always"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-http", "localhost:80/ok"), "--health-http must be an http:// URL"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-tcp", "0"), "--health-tcp must be in 1..65535"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-cmd", "sh -c 'oops"), "unterminated '"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-cmd", "  "), "--health-cmd needs a command"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-http", "http://localhost/", "--health-tcp", "80"), "exclude each other"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-interval", "5s"), "--health-interval needs a probe"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-tcp", "80", "--health-interval", "10"), "--health-interval must be a duration"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-tcp", "80", "--health-timeout", "20s"), "must not exceed interval"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--health-tcp", "80", "--health-retries", "0"), "--health-retries must be in 1..100"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--timeout", "2 minutes"), "--timeout must be a duration"),
                Arguments.of(List.of("--name", "a", "--image", "x", "extra"), "deploy takes options only, got 'extra'"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--replica", "3"), "unknown option --replica"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-parallelism", "0"), "--update-parallelism must be in 1..1000, got 0"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-parallelism", "two"), "--update-parallelism must be an integer"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-delay", "5"), "--update-delay must be a duration"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-delay", "2h"), "--update-delay must be at most 1h, got '2h'"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-monitor", "-1s"), "--update-monitor must be a duration"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-order", "sideways"), "--update-order must be start-first or stop-first, got 'sideways'"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-failure-action", "retry"), "--update-failure-action must be rollback, pause or continue, got 'retry'"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-max-failure-ratio", "1.5"), "--update-max-failure-ratio must be a number in 0..1"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-max-failure-ratio", "NaN"), "--update-max-failure-ratio must be a number in 0..1"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--update-max-failure-ratio", "a lot"), "--update-max-failure-ratio must be a number in 0..1"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--wait", "--detach"), "--wait and --detach exclude each other"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--stop-after-disconnect", "500ms"), "stop_after_disconnect must be in 1s..1h, got 500ms"),
                Arguments.of(List.of("--name", "a", "--image", "x", "--stop-after-disconnect", "soon"), "--stop-after-disconnect"));
    }

    @ParameterizedTest
    @MethodSource("badFlags")
    void badFlagsFailWithOneLine(List<String> argv, String expected) {
        CliException e = assertThrows(CliException.class, () -> DeployCommand.plan(argv));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void helpNamesEveryOption() {
        String help = new DeployCommand(Env.system()).help();
        for (String option : DeployCommand.options()) {
            assertTrue(help.contains("--" + option + " "), option);
        }
    }
}
