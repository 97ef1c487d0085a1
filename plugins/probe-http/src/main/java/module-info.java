/**
 * The {@code http} probe: GETs the health check endpoint with the JDK's HTTP client; a status
 * of 200-399 is healthy. An endpoint on {@code localhost} means the container itself.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}. Needs
 * {@code java.net.http}, which jdeps finds for the trimmed runtime once this jar ships.
 */
module dev.orchestrator.probe.http {
    requires dev.orchestrator.api;
    requires java.net.http;

    provides dev.orchestrator.api.spi.ProbeFactory
            with dev.orchestrator.probe.http.HttpProbeFactory;
}
