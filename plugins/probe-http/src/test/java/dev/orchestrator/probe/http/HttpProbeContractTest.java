package dev.orchestrator.probe.http;

import dev.orchestrator.api.spi.ProbeFactory;
import dev.orchestrator.api.spi.ProbeTarget;
import dev.orchestrator.testkit.ProbeContract;
import dev.orchestrator.testkit.StuckListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The http probe passes the probe contract against a real loopback server. */
class HttpProbeContractTest extends ProbeContract {
    private TestHttpServer server;
    private StuckListener stuck;

    @BeforeEach
    void startServer() throws IOException {
        server = new TestHttpServer();
    }

    @AfterEach
    void stopServers() throws IOException {
        server.close();
        if (stuck != null) {
            stuck.close();
        }
    }

    @Override
    protected ProbeFactory factory() {
        return new HttpProbeFactory();
    }

    @Override
    protected ProbeTarget healthyTarget() {
        return Targets.get(server.url("/health"));
    }

    @Override
    protected ProbeTarget unhealthyTarget() {
        return Targets.get(server.url("/status/500"));
    }

    @Override
    protected ProbeTarget hangingTarget(Duration timeout) {
        stuck = StuckListener.silent();
        return Targets.get("http://127.0.0.1:" + stuck.port() + "/health", timeout);
    }

    @Override
    protected ProbeTarget unreachableTarget() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return Targets.get("http://127.0.0.1:" + s.getLocalPort() + "/health"); // closed once returned
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
