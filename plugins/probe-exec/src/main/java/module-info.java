/**
 * The {@code exec} probe: runs the health check command (an argv array, never a shell string)
 * inside the container through the node's {@code ContainerRuntime}; healthy on exit code 0.
 *
 * <p>Exports nothing: the kernel only sees the factory through {@code provides}. It needs no
 * JDK module beyond {@code java.base}.
 */
module dev.orchestrator.probe.exec {
    requires dev.orchestrator.api;

    provides dev.orchestrator.api.spi.ProbeFactory
            with dev.orchestrator.probe.exec.ExecProbeFactory;
}
