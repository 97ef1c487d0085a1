package dev.orchestrator.orchestration;

import dev.orchestrator.api.spi.Probe;
import dev.orchestrator.api.spi.ProbeResult;
import dev.orchestrator.api.spi.ProbeTarget;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A probe whose verdict per replica name the test sets; healthy unless told otherwise. */
final class ScriptedProbe implements Probe {
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private final AtomicInteger checks = new AtomicInteger();

    @Override
    public ProbeResult check(ProbeTarget target) {
        checks.incrementAndGet();
        String why = failing.get(target.replica());
        return why == null ? ProbeResult.healthy("ok", Duration.ZERO) : ProbeResult.unhealthy(why, Duration.ZERO);
    }

    /** Makes a replica fail its checks with this detail. */
    void fail(String replica, String detail) {
        failing.put(replica, detail);
    }

    /** Makes a replica pass again. */
    void pass(String replica) {
        failing.remove(replica);
    }

    int checks() {
        return checks.get();
    }
}
