package dev.orchestrator.store;

import dev.orchestrator.api.HealthCheckSpec;
import dev.orchestrator.api.PortMapping;
import dev.orchestrator.api.Resources;
import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.ServiceSpec;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test data and helpers. Raw JDBC is only used to inspect or tamper with a database behind the store's back. */
final class Fixtures {
    static final Instant T0 = Instant.parse("2024-01-15T10:23:45Z");

    private Fixtures() {
    }


    static ServiceSpec minimal(String name, int replicas) {
        return new ServiceSpec(name, "myapp:latest", replicas, null, null, null, null, null, null, null, null);
    }

    /** A spec with every field set, including a zero start period and a sub-second duration. */
    static ServiceSpec full(String name, int replicas) {
        var health = new HealthCheckSpec("http", "http://localhost:8080/health", 0, List.of("true"),
                Duration.ofSeconds(10), Duration.ofMillis(1500), 3, Duration.ZERO);
        return new ServiceSpec(name, "registry:5000/team/app:1.2", replicas,
                List.of(new PortMapping(8080, 80, "tcp"), new PortMapping(53, 0, "udp")),
                new Resources(1024, 512L << 20), health, Map.of("B", "2", "A", "1"), List.of("serve", "--port=8080"),
                RestartPolicy.ON_FAILURE, List.of("node.labels.disk==ssd"), "spread");
    }

    static ReplicaRecord replica(String service, int index, ReplicaState state) {
        return new ReplicaRecord(service, index, "node-1", "c" + index, service + "-" + index, 1, state, Health.NONE, 0,
                null, 0, "", T0);
    }

    static Connection jdbc(Path dataDir) throws SQLException {
        return DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(Store.FILE_NAME));
    }
}
