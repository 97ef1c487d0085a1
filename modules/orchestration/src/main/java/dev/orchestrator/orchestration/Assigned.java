package dev.orchestrator.orchestration;

import dev.orchestrator.store.Assignment;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which replicas of one service a node is responsible for.
 *
 * @param runs  indices the node runs: it starts, restarts and updates them
 * @param holds indices moving off this node (drain): it keeps a running container serving until
 *              the replacement elsewhere is healthy, but neither restarts nor replaces it
 * @param all   true when every index is the node's (a node alone, in unit tests)
 * @param revisions per index it runs, the revision the deployment controller gave it; absent
 *              or 0 for the service's current revision
 */
public record Assigned(Set<Integer> runs, Set<Integer> holds, boolean all, Map<Integer, Long> revisions) {
    /** Every replica is this node's. */
    public static final Assigned ALL = new Assigned(Set.of(), Set.of(), true);

    /** Copies. */
    public Assigned {
        runs = Set.copyOf(runs);
        holds = Set.copyOf(holds);
        revisions = Map.copyOf(revisions);
    }

    /** Every replica at the service's current revision. */
    public Assigned(Set<Integer> runs, Set<Integer> holds, boolean all) {
        this(runs, holds, all, Map.of());
    }

    /**
     * @param index   a replica index
     * @param current the service's current revision
     * @return the revision that replica should run
     */
    public long revision(int index, long current) {
        long r = revisions.getOrDefault(index, 0L);
        return r == 0 ? current : r;
    }

    /**
     * @param node        the node
     * @param assignments assignments of one service (others are ignored by the caller)
     * @return what the node runs and holds
     */
    public static Assigned of(String node, Collection<Assignment> assignments) {
        var runs = new HashSet<Integer>();
        var holds = new HashSet<Integer>();
        var revisions = new HashMap<Integer, Long>();
        for (Assignment a : assignments) {
            if (a.node().equals(node)) {
                runs.add(a.index());
                if (a.revision() != 0) {
                    revisions.put(a.index(), a.revision());
                }
            } else if (node.equals(a.previousNode())) {
                holds.add(a.index());
            }
        }
        return new Assigned(runs, holds, false, revisions);
    }

    /**
     * @param index a replica index
     * @return true if this node runs it
     */
    public boolean runs(int index) {
        return all || runs.contains(index);
    }

    /**
     * @param index a replica index
     * @return true if this node holds it while it moves away
     */
    public boolean holds(int index) {
        return !all && holds.contains(index);
    }
}
