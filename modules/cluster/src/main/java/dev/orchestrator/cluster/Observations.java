package dev.orchestrator.cluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest measurements of each node ({@link Protocol.Observed}), kept in memory only:
 * stats are ephemeral, and the next report brings them back after a restart. A replica's usage
 * is current while its sample is younger than {@link #STALE_AFTER} by the server's clock (the
 * node says how old the sample was when it reported): older ones are not shown as current.
 *
 * <p>Thread-safe: reports write, views and metrics read.
 */
public final class Observations {
    /** How old a usage sample may be and still be shown (a few of the nodes' 5 s intervals). */
    public static final Duration STALE_AFTER = Duration.ofSeconds(20);

    /** A node's last measurements and when they arrived. */
    public record Latest(Protocol.Observed observed, Instant receivedAt) {
    }

    /**
     * A replica's current usage.
     *
     * @param node    the node that measured it
     * @param usage   the sample
     * @param sampled when it was taken, by the server's clock
     */
    public record Usage(String node, Protocol.ReplicaUsage usage, Instant sampled) {
    }

    private final Clock clock;
    private final Map<String, Latest> nodes = new ConcurrentHashMap<>();

    /** @param clock the server's clock */
    public Observations(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param node     the reporting node
     * @param observed its measurements
     * @param at       when they arrived
     */
    void record(String node, Protocol.Observed observed, Instant at) {
        nodes.put(node, new Latest(observed, at));
    }

    /** @param node a node removed from the cluster: its measurements go */
    public void forget(String node) {
        nodes.remove(node);
    }

    /** @return every node's latest measurements, by node */
    public Map<String, Latest> all() {
        return Map.copyOf(nodes);
    }

    /**
     * @return the latest measurements of the nodes that reported them within
     *         {@link #STALE_AFTER}: a node that stopped reporting shows no current gauges
     */
    public Map<String, Latest> fresh() {
        Instant now = clock.instant();
        var out = new java.util.HashMap<String, Latest>();
        nodes.forEach((node, latest) -> {
            if (Duration.between(latest.receivedAt(), now).compareTo(STALE_AFTER) <= 0) {
                out.put(node, latest);
            }
        });
        return out;
    }

    /** @return every replica's current usage (fresh samples only), by "service/index" */
    public Map<String, Usage> currentUsage() {
        Instant now = clock.instant();
        var out = new java.util.HashMap<String, Usage>();
        nodes.forEach((node, latest) -> {
            for (Protocol.ReplicaUsage u : latest.observed().replicas()) {
                Instant sampled = latest.receivedAt().minusMillis(Math.max(0, u.ageMillis()));
                if (Duration.between(sampled, now).compareTo(STALE_AFTER) <= 0) {
                    out.put(u.service() + "/" + u.index(), new Usage(node, u, sampled));
                }
            }
        });
        return out;
    }

    /**
     * @param service a service
     * @param index   a replica index
     * @param containerId the container the replica runs now: a sample of another is not its
     * @return its current usage, if a fresh sample of that container is known
     */
    public Optional<Usage> usage(String service, int index, String containerId) {
        Usage u = currentUsage().get(service + "/" + index);
        return u == null || !java.util.Objects.equals(containerId, u.usage().containerId())
                ? Optional.empty() : Optional.of(u);
    }

    /** @return the nodes whose measurements are known */
    public List<String> nodes() {
        return List.copyOf(nodes.keySet());
    }
}
