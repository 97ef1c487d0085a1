package dev.orchestrator.server;

import dev.orchestrator.kernel.PluginManager;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;

/**
 * The running control plane: the REST API on a Helidon web server.
 *
 * <p>Thread-safe; {@link #stop()} is idempotent.
 */
public final class ControlPlane implements AutoCloseable {
    private final WebServer server;

    private ControlPlane(WebServer server) {
        this.server = server;
    }

    /**
     * Starts the control plane and returns once the API answers.
     *
     * @param options how to run
     * @param plugins the discovered plugins
     * @return the running control plane
     */
    public static ControlPlane start(ServerOptions options, PluginManager plugins) {
        HttpRouting.Builder routing = HttpRouting.builder()
                .get("/health", (req, res) -> {
                    res.header(HeaderNames.CONTENT_TYPE, "application/json");
                    res.send("{\"status\":\"ok\"}");
                });
        WebServer server = WebServer.builder()
                .host(options.bindAddress())
                .port(options.port())
                .routing(routing)
                .build()
                .start();
        return new ControlPlane(server);
    }

    /** @return the port the API listens on */
    public int port() {
        return server.port();
    }

    /** Stops serving. */
    public void stop() {
        if (server.isRunning()) {
            server.stop();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
