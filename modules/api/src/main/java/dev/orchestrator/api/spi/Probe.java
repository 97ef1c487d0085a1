package dev.orchestrator.api.spi;

/**
 * Checks one replica's health once.
 *
 * <p>Threading: thread-safe; the kernel calls {@link #check} concurrently for many replicas,
 * each call on its own virtual thread. Blocking: may block, but must return within the
 * target's {@code timeout} (plus a small margin); a probe that cannot tell returns
 * {@link ProbeResult#unhealthy}, it never throws for an unhealthy target.
 */
public interface Probe {
    /**
     * @param target the replica to check and how
     * @return the outcome
     */
    ProbeResult check(ProbeTarget target);
}
