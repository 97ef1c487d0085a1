package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.Endpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.LongAdder;

/** One replica a published port routes to, with its failure counter. Thread-safe. */
final class Backend {
    private final Endpoint endpoint;
    private final LongAdder failedConnects = new LongAdder();

    Backend(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    /** @return a fresh address each time, so a replica addressed by name follows DNS */
    InetSocketAddress address() {
        return new InetSocketAddress(endpoint.host(), endpoint.port());
    }

    void connectFailed() {
        failedConnects.increment();
    }

    long failedConnects() {
        return failedConnects.sum();
    }

    @Override
    public String toString() {
        return endpoint.replica() + " (" + endpoint.host() + ":" + endpoint.port() + ")";
    }
}
