package dev.orchestrator.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventActor;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.api.spi.PortBinding;
import dev.orchestrator.api.spi.RuntimeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DockerMappingTest {
    @Test
    void mapsEveryDockerStatusAndTreatsUnknownAsDead() {
        assertEquals(ContainerState.CREATED, DockerMapping.state("created"));
        assertEquals(ContainerState.RUNNING, DockerMapping.state("running"));
        assertEquals(ContainerState.PAUSED, DockerMapping.state("paused"));
        assertEquals(ContainerState.RESTARTING, DockerMapping.state("restarting"));
        assertEquals(ContainerState.REMOVING, DockerMapping.state("removing"));
        assertEquals(ContainerState.EXITED, DockerMapping.state("exited"));
        assertEquals(ContainerState.DEAD, DockerMapping.state("dead"));
        assertEquals(ContainerState.DEAD, DockerMapping.state("hibernating"));
        assertEquals(ContainerState.DEAD, DockerMapping.state(null));
    }

    @Test
    void readsDockerTimesAndMapsGoZeroTimeToNull() {
        assertEquals(Instant.parse("2026-11-27T10:37:35.552624306Z"),
                DockerMapping.time("2026-11-27T10:37:35.552624306Z"));
        assertEquals(Instant.parse("2026-11-27T08:37:35Z"), DockerMapping.time("2026-11-27T10:37:35+02:00"));
        assertNull(DockerMapping.time("0001-01-01T00:00:00Z"));
        assertNull(DockerMapping.time(""));
        assertNull(DockerMapping.time(null));
        assertNull(DockerMapping.time("yesterday"));
    }

    @Test
    void mapsAnInspectResponse() throws IOException {
        InspectContainerResponse r = fixture("inspect-running.json");

        ContainerDetails d = DockerMapping.details(r);

        assertEquals("c3f772d530a398fdc930331c38e2b58c34618981d624efac3aac47a0a52bba30", d.id());
        assertEquals("orch-fixture", d.name());
        assertEquals("orchestrator-test/web:1", d.image());
        assertEquals("web", d.labels().get("orchestrator.service"));
        assertEquals(ContainerState.RUNNING, d.state());
        assertEquals(0, d.exitCode());
        assertFalse(d.oomKilled());
        assertEquals(Instant.parse("2026-11-27T10:37:35.552624306Z"), d.startedAt());
        assertNull(d.finishedAt());
        assertEquals("172.17.0.2", d.ipAddress());
        assertEquals(List.of(new PortBinding(8080, "tcp", "127.0.0.1", 32768)), d.ports());
    }

    @Test
    void leavesOutExposedPortsThatAreNotPublished() {
        Ports ports = new Ports();
        ports.getBindings().put(ExposedPort.tcp(9000), null);
        ports.bind(ExposedPort.udp(53), Ports.Binding.bindIpAndPort("0.0.0.0", 1053));

        assertEquals(List.of(new PortBinding(53, "udp", "0.0.0.0", 1053)), DockerMapping.ports(ports));
        assertEquals(List.of(), DockerMapping.ports(null));
    }

    @Test
    void hostPortZeroLeavesThePortToDocker() {
        Ports ports = DockerMapping.bindings(List.of(
                new PortBinding(8080, "tcp", "127.0.0.1", 0),
                new PortBinding(9090, null, null, 0),
                new PortBinding(53, "udp", null, 5353)));

        Map<ExposedPort, Ports.Binding[]> b = ports.getBindings();
        assertEquals(Ports.Binding.bindIp("127.0.0.1"), b.get(ExposedPort.tcp(8080))[0]);
        assertEquals(Ports.Binding.empty(), b.get(ExposedPort.tcp(9090))[0]);
        assertEquals(Ports.Binding.bindPort(5353), b.get(ExposedPort.udp(53))[0]);
    }

    @Test
    void buildsTheHostConfigOfARequest() {
        ContainerRequest req = new ContainerRequest("web-1", "orchestrator-test/web:1", Map.of(), Map.of("B", "2", "A", "1"),
                List.of(), List.of(new PortBinding(8080, "tcp", "127.0.0.1", 0)), 64L << 20, 512, "backend",
                List.of("web"));

        HostConfig hc = DockerMapping.hostConfig(req);

        assertEquals(64L << 20, hc.getMemory());
        assertEquals(512, hc.getCpuShares());
        assertEquals("backend", hc.getNetworkMode());
        assertEquals(List.of("A=1", "B=2"), DockerMapping.env(req.env()));
        assertEquals(List.of(ExposedPort.tcp(8080)), DockerMapping.exposedPorts(req.ports()));
    }

    @Test
    void unsetLimitsAreNotSent() {
        ContainerRequest req = new ContainerRequest("a", "img", null, null, null, null, 0, 0, null, null);

        HostConfig hc = DockerMapping.hostConfig(req);

        assertNull(hc.getMemory());
        assertNull(hc.getCpuShares());
        assertNull(hc.getNetworkMode());
    }

    @Test
    void rejectsAnUnknownProtocol() {
        var ports = List.of(new PortBinding(80, "http", null, 0));

        var e = assertThrows(OrchestratorException.class, () -> DockerMapping.exposedPorts(ports));
        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    }

    @Test
    void mapsADieEventWithExitCodeAndLabelsOnly() {
        Event e = new Event().withAction("die").withType(null).withTimenano(1_700_000_000_123_456_789L)
                .withEventActor(new EventActor().withId("abc").withAttributes(Map.of(
                        "exitCode", "143", "image", "orchestrator-test/web:1", "name", "web-1",
                        "orchestrator.service", "web")));

        RuntimeEvent r = DockerMapping.event(e);

        assertEquals(RuntimeEvent.Type.DIE, r.type());
        assertEquals("abc", r.containerId());
        assertEquals(143, r.exitCode());
        assertEquals(Map.of("orchestrator.service", "web"), r.labels());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L, 123_456_789L), r.time());
    }

    @Test
    void fallsBackToLegacyEventFields() {
        Event e = new Event("start", "def", "img", 1_700_000_000L);

        RuntimeEvent r = DockerMapping.event(e);

        assertEquals(RuntimeEvent.Type.START, r.type());
        assertEquals("def", r.containerId());
        assertEquals(0, r.exitCode());
        assertEquals(Instant.ofEpochSecond(1_700_000_000L), r.time());
    }

    @Test
    void ignoresActionsTheSpiDoesNotModel() {
        assertNull(DockerMapping.event(new Event().withAction("exec_start: sh")));
        assertNull(DockerMapping.event(new Event().withAction("kill")));
    }

    private static InspectContainerResponse fixture(String name) throws IOException {
        ObjectMapper mapper = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        try (InputStream in = DockerMappingTest.class.getResourceAsStream(name)) {
            return mapper.readValue(in, InspectContainerResponse.class);
        }
    }
}
