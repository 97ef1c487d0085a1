package dev.orchestrator.orchestration;

import dev.orchestrator.api.RestartPolicy;
import dev.orchestrator.api.spi.ContainerDetails;
import dev.orchestrator.api.spi.ContainerState;
import dev.orchestrator.store.ServiceRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * Computes the plan that takes a service's containers to its desired state. Pure: no I/O, no
 * clock; the same inputs give the same plan, which is what makes it unit-testable.
 */
public final class Planner {
    private static final Comparator<ContainerDetails> NEWEST_FIRST = Comparator.comparing(
            (ContainerDetails c) -> c.startedAt() == null ? Instant.MIN : c.startedAt()).reversed();

    private Planner() {
    }

    /**
     * The plan for a node that runs every replica.
     *
     * @param service    the service name
     * @param desired    its desired state, or empty if it was deleted
     * @param containers its containers as observed, in any state
     * @param backoff    per replica index: when it may restart next, if it is backing off
     * @param unhealthy  ids of running containers that failed their health check
     * @param now        the current time
     * @return the plan
     */
    public static Plan plan(String service, Optional<ServiceRecord> desired, List<ContainerDetails> containers,
                            IntFunction<Optional<Instant>> backoff, Set<String> unhealthy, Instant now) {
        return plan(service, desired, containers, Assigned.ALL, backoff, unhealthy, now);
    }

    /**
     * The plan with every replica at the revision {@code assigned} gives it, with the current spec
     * (for tests of the plan alone: the node reads each revision's own spec, see {@link Targets}).
     *
     * @param service    the service name
     * @param desired    its desired state, or empty if it was deleted
     * @param containers its containers on this node as observed, in any state
     * @param assigned   the replicas this node runs or holds
     * @param backoff    per replica index: when it may restart next, if it is backing off
     * @param unhealthy  ids of running containers that failed their health check
     * @param now        the current time
     * @return the plan
     */
    public static Plan plan(String service, Optional<ServiceRecord> desired, List<ContainerDetails> containers,
                            Assigned assigned, IntFunction<Optional<Instant>> backoff, Set<String> unhealthy,
                            Instant now) {
        return plan(service, desired, containers, assigned, i -> {
            ServiceRecord d = desired.orElseThrow();
            long r = assigned.revision(i, d.revision());
            return r == d.revision() ? d : new ServiceRecord(d.spec(), r, d.createdAt(), d.updatedAt());
        }, backoff, unhealthy, now);
    }

    /**
     * @param service    the service name
     * @param desired    its desired state, or empty if it was deleted
     * @param containers its containers on this node as observed, in any state
     * @param assigned   the replicas this node runs or holds; containers of others are removed
     * @param targets    per replica index it runs: the revision (and its spec) the replica should
     *                   run, the current one unless a rollout has not reached it yet
     * @param backoff    per replica index: when it may restart next, if it is backing off
     * @param unhealthy  ids of running containers that failed their health check
     * @param now        the current time
     * @return the plan
     */
    public static Plan plan(String service, Optional<ServiceRecord> desired, List<ContainerDetails> containers,
                            Assigned assigned, IntFunction<ServiceRecord> targets,
                            IntFunction<Optional<Instant>> backoff, Set<String> unhealthy, Instant now) {
        Map<Integer, List<ContainerDetails>> byIndex = groupByIndex(containers);
        var actions = new ArrayList<Action>();
        if (desired.isEmpty()) {
            byIndex.forEach((i, cs) -> cs.forEach(c -> actions.add(new Action.Remove(i, c, "service removed"))));
            return new Plan(service, actions);
        }
        ServiceRecord record = desired.get();
        int replicas = record.spec().replicas();
        boolean replacing = false;
        for (int i = 0; i < replicas; i++) {
            List<ContainerDetails> candidates = byIndex.getOrDefault(i, List.of());
            if (!assigned.runs(i)) {
                notOurs(i, candidates, assigned.holds(i), record.revision(), actions);
                continue;
            }
            ServiceRecord target = targets.apply(i);
            ContainerDetails keep = pick(candidates, target.revision());
            for (ContainerDetails c : candidates) {
                if (c != keep) {
                    actions.add(new Action.Remove(i, c, "duplicate"));
                }
            }
            Action a = decide(i, keep, target, backoff.apply(i), keep != null && unhealthy.contains(keep.id()), now,
                    replacing);
            // A node alone replaces one replica per pass; with assignments the server's
            // deployment controller says how many replicas run the new revision at once.
            replacing |= a instanceof Action.Replace && assigned.all();
            actions.add(a);
        }
        byIndex.forEach((i, cs) -> {
            if (i >= replicas) {
                cs.forEach(c -> actions.add(new Action.Remove(i, c, "scaled down")));
            }
        });
        return new Plan(service, actions);
    }

    /**
     * A replica another node runs: its containers here go, except, while it moves off this node,
     * one running container that serves until the replacement is healthy.
     */
    private static void notOurs(int i, List<ContainerDetails> candidates, boolean held, long revision,
                                List<Action> actions) {
        ContainerDetails keep = held ? pick(candidates, revision) : null;
        if (keep != null && keep.running()) {
            actions.add(new Action.Keep(i, keep));
        } else {
            keep = null;
        }
        for (ContainerDetails c : candidates) {
            if (c != keep) {
                // Held and kept elsewhere: a duplicate; otherwise the replica lives on another node.
                actions.add(new Action.Remove(i, c, keep != null ? "duplicate" : "moved to another node"));
            }
        }
    }

    private static Action decide(int i, ContainerDetails c, ServiceRecord record, Optional<Instant> notBefore,
                                 boolean failedHealth, Instant now, boolean alreadyReplacing) {
        Optional<Instant> wait = notBefore.filter(now::isBefore);
        if (c == null) {
            return wait.<Action>map(until -> new Action.Wait(i, until, null)).orElseGet(() -> new Action.Start(i));
        }
        if (failedHealth && c.running()) {
            // An unhealthy replica is restarted like a crashed one, unless its policy is "never".
            return record.spec().restartPolicy() == RestartPolicy.NEVER ? new Action.Keep(i, c)
                    : wait.<Action>map(until -> new Action.Wait(i, until, c))
                            .orElseGet(() -> new Action.Restart(i, c, true));
        }
        if (c.state() == ContainerState.RUNNING || c.state() == ContainerState.PAUSED
                || c.state() == ContainerState.RESTARTING) {
            boolean current = Labels.revision(c.labels()).orElse(-1) == record.revision();
            // One replacement per pass: the next one starts once this one runs (rolling update).
            if (current || alreadyReplacing) {
                return new Action.Keep(i, c);
            }
            // A replacement that failed backs off like a crash; the old container keeps serving.
            return wait.<Action>map(until -> new Action.Wait(i, until, c)).orElseGet(() -> new Action.Replace(i, c));
        }
        if (!shouldRestart(c, record.spec().restartPolicy())) {
            return new Action.Keep(i, c);
        }
        return wait.<Action>map(until -> new Action.Wait(i, until, c)).orElseGet(() -> new Action.Restart(i, c, false));
    }

    /**
     * @param c      an ended (or never started) container
     * @param policy the service's restart policy
     * @return whether the policy restarts it
     */
    static boolean shouldRestart(ContainerDetails c, RestartPolicy policy) {
        if (c.state() == ContainerState.CREATED || c.state() == ContainerState.DEAD) {
            return true; // never ran properly: not a completion the policy could keep
        }
        return switch (policy) {
            case ALWAYS -> true;
            case ON_FAILURE -> c.exitCode() != 0 || c.oomKilled();
            case NEVER -> false;
        };
    }

    /** Prefers a running container of the desired revision, then any running one, then the newest. */
    static ContainerDetails pick(List<ContainerDetails> candidates, long revision) {
        return candidates.stream().min(Comparator
                        .comparing((ContainerDetails c) -> !c.running())
                        .thenComparing(c -> Labels.revision(c.labels()).orElse(-1) != revision)
                        .thenComparing(NEWEST_FIRST))
                .orElse(null);
    }

    /**
     * The plan of a fenced service (its node lost the server for its {@code stop_after_disconnect}):
     * every container of it on this node goes, whatever the assignments say, since the server
     * may already have started the replicas elsewhere.
     *
     * @param service    the service name
     * @param containers its containers on this node
     * @param reason     why, e.g. {@code lost the server for 10s (stop_after_disconnect)}
     * @return removals only
     */
    public static Plan fenced(String service, List<ContainerDetails> containers, String reason) {
        var actions = new ArrayList<Action>();
        groupByIndex(containers).forEach((i, cs) -> cs.forEach(c -> actions.add(new Action.Remove(i, c, reason))));
        return new Plan(service, actions);
    }

    static Map<Integer, List<ContainerDetails>> groupByIndex(List<ContainerDetails> containers) {
        var byIndex = new TreeMap<Integer, List<ContainerDetails>>();
        for (ContainerDetails c : containers) {
            OptionalInt i = Labels.index(c.labels());
            // A container without a readable index cannot be any replica: it is cleaned up as
            // index Integer.MAX_VALUE, which is always beyond the replica count.
            byIndex.computeIfAbsent(i.orElse(Integer.MAX_VALUE), k -> new ArrayList<>()).add(c);
        }
        return byIndex;
    }
}
