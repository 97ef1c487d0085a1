package dev.orchestrator.probe.exec;

import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerRequest;
import dev.orchestrator.api.spi.ContainerRuntime;
import dev.orchestrator.api.spi.ExecResult;
import dev.orchestrator.api.spi.LogLine;
import dev.orchestrator.api.spi.RuntimeEvent;
import dev.orchestrator.api.spi.RuntimeInfo;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** A test runtime that only knows {@link #exec}; everything else is a test bug. */
abstract class ExecOnlyRuntime implements ContainerRuntime {
    @Override
    public abstract ExecResult exec(String id, List<String> argv, Duration timeout);

    @Override
    public RuntimeInfo info() {
        throw unsupported();
    }

    @Override
    public boolean imagePresent(String image) {
        throw unsupported();
    }

    @Override
    public String create(ContainerRequest request) {
        throw unsupported();
    }

    @Override
    public void start(String id) {
        throw unsupported();
    }

    @Override
    public void stop(String id, Duration grace) {
        throw unsupported();
    }

    @Override
    public void remove(String id, boolean force) {
        throw unsupported();
    }

    @Override
    public Optional<ContainerDetails> inspect(String id) {
        throw unsupported();
    }

    @Override
    public List<ContainerDetails> list(Map<String, String> labels) {
        throw unsupported();
    }

    @Override
    public List<LogLine> logs(String id, int tail) {
        throw unsupported();
    }

    @Override
    public AutoCloseable events(Consumer<RuntimeEvent> listener) {
        throw unsupported();
    }

    @Override
    public void close() {
    }

    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("the exec probe must only call exec");
    }
}
