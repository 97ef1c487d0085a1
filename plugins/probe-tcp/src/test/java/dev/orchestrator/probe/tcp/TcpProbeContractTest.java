package dev.orchestrator.probe.tcp;

import dev.orchestrator.api.spi.ProbeFactory;
import dev.orchestrator.api.spi.ProbeTarget;
import dev.orchestrator.testkit.ProbeContract;
import dev.orchestrator.testkit.StuckListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The tcp probe passes the probe contract against real loopback listeners. */
class TcpProbeContractTest extends ProbeContract {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private OpenPort open;
    private StuckListener stuck;
    private int closed;

    @BeforeEach
    void startListeners() throws IOException {
        open = new OpenPort();
        closed = OpenPort.closedPort();
    }

    @AfterEach
    void stopListeners() throws IOException {
        open.close();
        if (stuck != null) {
            stuck.close();
        }
    }

    @Override
    protected ProbeFactory factory() {
        return new TcpProbeFactory();
    }

    @Override
    protected ProbeTarget healthyTarget() {
        return Targets.mapped(open.port(), TIMEOUT);
    }

    @Override
    protected ProbeTarget unhealthyTarget() {
        return Targets.mapped(closed, TIMEOUT);
    }

    @Override
    protected ProbeTarget hangingTarget(Duration timeout) {
        stuck = StuckListener.fullBacklog();
        return Targets.mapped(stuck.port(), timeout);
    }

    @Override
    protected ProbeTarget unreachableTarget() {
        try {
            return Targets.mapped(OpenPort.closedPort(), TIMEOUT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
