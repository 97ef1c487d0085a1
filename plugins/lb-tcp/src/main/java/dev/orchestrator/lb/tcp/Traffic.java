package dev.orchestrator.lb.tcp;

import java.util.concurrent.atomic.LongAdder;

/** The bytes relayed through one published port, counted by its relays' event loops. Thread-safe. */
final class Traffic {
    /** Read from clients. */
    final LongAdder received = new LongAdder();
    /** Written to clients. */
    final LongAdder sent = new LongAdder();
}
