package dev.orchestrator.lb.tcp;

import dev.orchestrator.api.spi.Endpoint;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One replica a published port routes to, with its counters: the connections going to it now
 * (what least-connections reads) and its failed connects. Thread-safe.
 */
final class Backend {
    private final Endpoint endpoint;
    private final AtomicInteger active = new AtomicInteger();
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

    /** A connection to it starts: counted from the connect attempt, so a burst sees it at once. */
    void opened() {
        active.incrementAndGet();
    }

    /** A connection to it ended, or its connect failed. */
    void closed() {
        active.decrementAndGet();
    }

    int active() {
        return active.get();
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
