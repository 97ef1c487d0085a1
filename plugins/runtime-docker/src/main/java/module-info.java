/**
 * The Docker runtime driver: a {@link dev.orchestrator.api.spi.RuntimeDriverFactory} named
 * {@code docker}, built on docker-java.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}.
 */
module dev.orchestrator.runtime.docker {
    requires dev.orchestrator.api;

    // docker-java ships no module descriptors, only Automatic-Module-Name entries (checked in
    // the 3.6.0 jars' manifests). Automatic modules are fine here: a plugin loads into its own
    // layer at run time, where they are allowed; jlink would refuse them (see STYLE.md).
    requires com.github.dockerjava.api;
    requires com.github.dockerjava.core;
    // DockerHttpClient, the type the HTTP client is handed over as, lives in this one.
    requires com.github.dockerjava.transport;
    requires com.github.dockerjava.transport.httpclient5;

    // Not used by this code, but by docker-java at run time. An automatic module cannot declare
    // what it needs, and explicit modules are only resolved when something requires them: without
    // these, docker-java fails on a module path with NoClassDefFoundError (tried: Jackson at the
    // first call, commons-lang3 in its config builder, commons-io on any error response).
    requires com.fasterxml.jackson.databind;
    requires org.apache.commons.lang3;
    requires org.apache.commons.io;
    // Set up once in the factory (see there), before docker-java's threads log.
    requires org.slf4j;

    provides dev.orchestrator.api.spi.RuntimeDriverFactory
            with dev.orchestrator.runtime.docker.DockerRuntimeFactory;
}
