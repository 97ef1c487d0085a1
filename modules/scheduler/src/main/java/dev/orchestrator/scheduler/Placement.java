package dev.orchestrator.scheduler;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The outcome of placing one replica: an expected result, not an exception. Either the replica
 * goes on a node ({@link Placed}) or no node can take it, and why ({@link Unschedulable}).
 */
public sealed interface Placement permits Placement.Placed, Placement.Unschedulable {

    /**
     * The replica goes on {@code node}.
     *
     * @param node  the chosen node's name
     * @param score its score, 0..100: the highest of all feasible nodes
     */
    record Placed(String node, int score) implements Placement {
        /** Checks the fields. */
        public Placed {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * No node passed every filter. Each node is counted once, under the reason of the first
     * filter that rejected it, so the counts add up to {@code nodes}.
     *
     * @param nodes   how many nodes were considered
     * @param reasons rejected nodes per reason, ordered by count (highest first), then reason
     */
    record Unschedulable(int nodes, Map<String, Integer> reasons) implements Placement {
        private static final Comparator<Map.Entry<String, Integer>> ORDER =
                Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

        /** Orders the reasons and makes them immutable. */
        public Unschedulable {
            var entries = new ArrayList<>(reasons.entrySet());
            entries.sort(ORDER);
            var ordered = new LinkedHashMap<String, Integer>();
            entries.forEach(e -> ordered.put(e.getKey(), e.getValue()));
            reasons = Collections.unmodifiableMap(ordered);
        }

        /**
         * @return the explanation shown by the API and the events, e.g.
         *         {@code 0/10 nodes available: 7 insufficient memory, 3 cordoned}
         */
        public String message() {
            String head = "0/" + nodes + " nodes available";
            return reasons.isEmpty() ? head : reasons.entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey())
                    .collect(Collectors.joining(", ", head + ": ", ""));
        }
    }
}
