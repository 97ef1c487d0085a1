package dev.orchestrator.kernel;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.PluginContext;
import dev.orchestrator.api.spi.RuntimeDriverFactory;
import dev.orchestrator.api.spi.RuntimeInfo;

/** Connecting to the container runtime through its driver plugin, for the server and the agent. */
public final class Runtimes {
    private Runtimes() {
    }

    /**
     * A runtime that answered, with what it said about its machine.
     *
     * @param runtime the runtime; the caller closes it
     * @param info    its machine
     */
    public record Connected(ContainerRuntime runtime, RuntimeInfo info) {
    }

    /**
     * Creates the runtime driver with its configured settings and asks it about its machine.
     * Blocks for the round trip.
     *
     * @param plugins the discovered plugins and their settings
     * @param name    the driver's name ({@code --runtime}), or null for the highest-weight one
     * @param context the plugin context
     * @return the connected runtime
     * @throws PluginException when no driver of that name is installed
     * @throws OrchestratorException {@code RUNTIME_FAILURE} saying how to start Docker if it does not answer
     */
    public static Connected connect(PluginManager plugins, String name, PluginContext context) {
        ContainerRuntime runtime = plugins.create(RuntimeDriverFactory.class, name, context);
        try {
            return new Connected(runtime, reach(runtime));
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    private static RuntimeInfo reach(ContainerRuntime runtime) {
        try {
            return runtime.info();
        } catch (OrchestratorException e) {
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "cannot reach the container runtime: "
                    + e.getMessage() + " (is dockerd running? see scripts/docker-up.sh)", e);
        }
    }
}
