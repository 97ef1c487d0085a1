package dev.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import dev.orchestrator.app.RolloutProgress;
import dev.orchestrator.app.ServiceState;
import dev.orchestrator.store.ServiceRecord;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The service views: the single-service view shows the latest rollout and the update settings, the list view neither. */
class ServiceViewsTest {
    private static final Instant T0 = Instant.parse("2024-01-15T10:23:45Z");
    private static final ServiceSpec SPEC = new ServiceSpec("web", "nginx:1", 3, List.of(), Resources.NONE, null,
            Map.of(), List.of(), RestartPolicy.ALWAYS, List.of(), null)
            .withUpdate(new UpdateConfig(2, Duration.ofSeconds(5), "stop-first", null, "pause", 0.5));
    private static final ServiceState STATE = new ServiceState(new ServiceRecord(SPEC, 3, T0, T0), List.of());

    private static JsonNode json(Object view) throws IOException {
        return new ObjectMapper().readTree(Wire.write(view));
    }

    @Test
    void theSingleServiceViewHasTheDeployment() throws IOException {
        var progress = new RolloutProgress(3, 2, "running", false, "1/3 updated, 1 healthy", 3, 1, 1, T0,
                T0.plusSeconds(7));
        JsonNode d = json(ServiceViews.of(STATE, true, null, progress)).get("deployment");
        assertEquals(new ObjectMapper().readTree("""
                {"revision":3,"from_revision":2,"status":"running","rollback":false,\
                "message":"1/3 updated, 1 healthy","replicas":3,"updated":1,"healthy":1,\
                "started_at":"2024-01-15T10:23:45Z","updated_at":"2024-01-15T10:23:52Z"}"""), d);
    }

    @Test
    void anEmptyMessageIsNull() {
        var progress = new RolloutProgress(4, 3, "succeeded", true, "", 3, 3, 3, T0, T0);
        Views.Rollout r = ServiceViews.rollout(progress);
        assertNull(r.message());
        assertEquals(true, r.rollback());
    }

    @Test
    void withoutARolloutThereIsNoDeploymentField() throws IOException {
        assertFalse(json(ServiceViews.of(STATE, true, null, null)).has("deployment"));
        JsonNode list = json(ServiceViews.of(STATE, false, null));
        assertFalse(list.has("deployment"));
        assertFalse(list.has("spec"));
    }

    @Test
    void theSpecShowsTheUpdateSettings() throws IOException {
        assertEquals(new ObjectMapper().readTree("""
                {"parallelism":2,"delay":"5s","order":"stop-first","monitor":null,"failure_action":"pause",\
                "max_failure_ratio":0.5}"""), json(ServiceViews.of(STATE, true, null)).path("spec").path("update"));
        assertFalse(json(ServiceViews.of(new ServiceState(new ServiceRecord(SPEC.withUpdate(null), 3, T0, T0),
                List.of()), true, null)).path("spec").has("update"), "default settings are not written");
    }
}
