package dev.orchestrator.runtime.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.PluginConfig;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.RuntimeDriverFactory;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Creates the {@code docker} runtime driver.
 *
 * <p>Settings (all optional):
 * <ul>
 *   <li>{@code host}: the Docker endpoint, e.g. {@code unix:///var/run/docker.sock} or
 *       {@code tcp://10.0.0.5:2376}; default: {@code DOCKER_HOST}, else the local socket.
 *       TLS endpoints ({@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}) are refused: the
 *       image leaves out the certificate libraries, since an agent runs on every Docker host
 *       and talks to its local socket.</li>
 *   <li>{@code connect-timeout}: default {@code 5s}.</li>
 *   <li>{@code response-timeout}: longest wait for an answer to a plain request, default
 *       {@code 60s}. Streams (events, exec) and {@code stop} bound their own waits. Only
 *       enforced on {@code tcp://} endpoints: docker-java's unix-socket channel ignores socket
 *       read timeouts.</li>
 *   <li>{@code max-connections}: per client, default {@code 100}, enough for the kernel's
 *       concurrent probes and reconciles.</li>
 * </ul>
 *
 * <p>The API version is left unset on purpose: docker-java then speaks the daemon's own
 * version, so an old engine (e.g. Debian's 20.10, API 1.41) is not sent requests it rejects.
 * {@link #create} does not contact Docker; an unreachable engine shows up on first use as
 * {@link ErrorCode#RUNTIME_FAILURE}.
 */
public final class DockerRuntimeFactory implements RuntimeDriverFactory {
    /** The driver's plugin name. */
    public static final String NAME = "docker";

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(60);
    private static final int MAX_CONNECTIONS = 100;

    static {
        // SLF4J (docker-java's and the HTTP client's logging) set up here, on one thread: set up
        // lazily by the first of several threads logging at once, it prints a three-line
        // "logging calls ... intercepted and replayed" notice on stderr (seen in LogsIT).
        org.slf4j.LoggerFactory.getILoggerFactory();
    }

    /** For {@link java.util.ServiceLoader}. */
    public DockerRuntimeFactory() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int weight() {
        return 100;
    }

    /**
     * {@inheritDoc}
     *
     * @throws OrchestratorException {@link ErrorCode#PLUGIN_ERROR} if a setting is malformed
     */
    @Override
    public ContainerRuntime create(PluginConfig config, PluginContext context) {
        DockerClientConfig docker = clientConfig(config);
        Duration connect = setting(() -> config.getDuration("connect-timeout", CONNECT_TIMEOUT));
        Duration response = setting(() -> config.getDuration("response-timeout", RESPONSE_TIMEOUT));
        int connections = setting(() -> config.getInt("max-connections", MAX_CONNECTIONS));
        if (connections < 1) {
            throw pluginError("max-connections must be >= 1, got " + connections);
        }
        DockerClient api = client(docker, http(docker, connections, connect, response));
        DockerClient streams = client(docker, http(docker, connections, connect, null));
        return new DockerRuntime(api, streams, docker.getDockerHost().toString(), response, context.clock(),
                context.logger(DockerRuntime.class.getName()));
    }

    private static DockerClientConfig clientConfig(PluginConfig config) {
        // The default builder reads DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH and the
        // current docker context; an explicit "host" setting wins over all of them.
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        config.get("host").map(String::trim).filter(h -> !h.isEmpty()).ifPresent(builder::withDockerHost);
        DockerClientConfig built;
        try {
            built = builder.build();
        } catch (RuntimeException e) {
            throw pluginError("host must be a Docker endpoint like unix:///var/run/docker.sock or tcp://host:2376, got '"
                    + config.get("host", System.getenv("DOCKER_HOST")) + "': " + e.getMessage());
        }
        if (built.getSSLConfig() != null) {
            throw pluginError("TLS Docker endpoints (DOCKER_TLS_VERIFY/DOCKER_CERT_PATH) are not supported: run an"
                    + " agent on the Docker host and let it use the local socket");
        }
        return built;
    }

    /** @param responseTimeout null for none: the caller bounds its own wait */
    private static DockerHttpClient http(DockerClientConfig docker, int connections, Duration connect,
                                         Duration responseTimeout) {
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(docker.getDockerHost())
                .sslConfig(docker.getSSLConfig())
                .maxConnections(connections)
                .connectionTimeout(connect)
                .responseTimeout(responseTimeout)
                .build();
    }

    private static DockerClient client(DockerClientConfig docker, DockerHttpClient http) {
        return DockerClientImpl.getInstance(docker, http);
    }

    private static <T> T setting(Supplier<T> read) {
        try {
            return read.get();
        } catch (OrchestratorException e) {
            throw pluginError(e.getMessage());
        }
    }

    private static OrchestratorException pluginError(String message) {
        return new OrchestratorException(ErrorCode.PLUGIN_ERROR, "runtime plugin " + NAME + " ("
                + DockerRuntimeFactory.class.getName() + "): " + message);
    }
}
