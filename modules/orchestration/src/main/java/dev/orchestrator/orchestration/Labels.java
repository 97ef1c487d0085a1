package dev.orchestrator.orchestration;

import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The labels that tie a container to the orchestrator. They are the only link between the
 * runtime's containers and the store's state, so a restarted server finds and adopts its
 * containers by them; the cluster id keeps two orchestrators sharing one Docker engine apart.
 */
public final class Labels {
    /** Identifies the cluster (one server's state) that owns the container. */
    public static final String CLUSTER = "dev.orchestrator.cluster";
    /** The service name. */
    public static final String SERVICE = "dev.orchestrator.service";
    /** The replica index. */
    public static final String REPLICA = "dev.orchestrator.replica";
    /** The service revision the container was created from. */
    public static final String REVISION = "dev.orchestrator.revision";
    /** The node the container was placed on. */
    public static final String NODE = "dev.orchestrator.node";
    /**
     * The health check of the revision the container was created from (JSON), or {@code none}:
     * each container is probed with its own revision's check, so an update that adds or
     * changes one never probes the old containers with a check they were not built for.
     */
    public static final String HEALTH = "dev.orchestrator.health";
    private static final String NO_CHECK = "none";

    private Labels() {
    }

    /**
     * @param cluster  the cluster id
     * @param service  the service
     * @param index    the replica index
     * @param revision the spec revision
     * @param node     the node name
     * @return the labels of a new container
     */
    public static Map<String, String> of(String cluster, String service, int index, long revision, String node) {
        return Map.of(CLUSTER, cluster, SERVICE, service, REPLICA, Integer.toString(index),
                REVISION, Long.toString(revision), NODE, node);
    }

    /**
     * @param cluster  the cluster id
     * @param service  the service
     * @param index    the replica index
     * @param revision the spec revision
     * @param node     the node name
     * @param check    the revision's health check, or null for none
     * @return the labels of a new container, its health check among them
     */
    public static Map<String, String> of(String cluster, String service, int index, long revision, String node,
                                         dev.orchestrator.api.HealthCheckSpec check) {
        var labels = new java.util.HashMap<>(of(cluster, service, index, revision, node));
        labels.put(HEALTH, check == null ? NO_CHECK : dev.orchestrator.store.SpecJson.encode(check));
        return Map.copyOf(labels);
    }

    /**
     * @param labels   a container's labels
     * @param fallback the check to use for a container made before it carried its own (an
     *                 earlier version of the node), or whose label cannot be read
     * @return the container's health check, or null for none
     */
    public static dev.orchestrator.api.HealthCheckSpec healthCheck(Map<String, String> labels,
                                                                   dev.orchestrator.api.HealthCheckSpec fallback) {
        String text = labels.get(HEALTH);
        if (text == null) {
            return fallback;
        }
        if (text.equals(NO_CHECK)) {
            return null;
        }
        try {
            return dev.orchestrator.store.SpecJson.decodeCheck(text);
        } catch (dev.orchestrator.api.OrchestratorException e) {
            return fallback;
        }
    }

    /**
     * @param labels   a container's labels
     * @param fallback whether a container without the label (made by an earlier version) has one
     * @return whether the container has a health check of its own
     */
    public static boolean hasHealthCheck(Map<String, String> labels, boolean fallback) {
        String text = labels.get(HEALTH);
        return text == null ? fallback : !text.equals(NO_CHECK);
    }

    /**
     * @param labels a container's labels
     * @return its replica index, if present and well-formed
     */
    public static OptionalInt index(Map<String, String> labels) {
        try {
            int i = Integer.parseInt(labels.getOrDefault(REPLICA, ""));
            return i >= 0 ? OptionalInt.of(i) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * @param labels a container's labels
     * @return its revision, if present and well-formed
     */
    public static OptionalLong revision(Map<String, String> labels) {
        try {
            return OptionalLong.of(Long.parseLong(labels.getOrDefault(REVISION, "")));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
