package dev.orchestrator.testkit;

import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ExecResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The fake passes the contract the real drivers pass, with exec scripted as a shell would answer. */
class FakeRuntimeContractTest extends RuntimeContract {
    private static final String IMAGE = "contract/app:1";
    private final FakeRuntime runtime = new FakeRuntime(new ManualClock(Instant.parse("2026-01-01T00:00:00Z")));

    FakeRuntimeContractTest() {
        runtime.addImage(IMAGE, READY_LINE);
        runtime.scriptExec((c, argv) -> switch (argv.get(0)) {
            case "echo" -> new ExecResult(0, String.join(" ", argv.subList(1, argv.size())) + "\n", false);
            case "sh" -> new ExecResult(Integer.parseInt(argv.get(2).replace("exit ", "")), "", false);
            default -> new ExecResult(127, argv.get(0) + ": not found\n", false);
        });
    }

    @Override
    protected ContainerRuntime runtime() {
        return runtime;
    }

    @Override
    protected ContainerRequest longRunning(String name, Map<String, String> labels) {
        return new ContainerRequest(name, IMAGE, labels, Map.of(), List.of(), List.of(port()), 0, 0, null, List.of());
    }
}
