package dev.orchestrator.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;
import java.util.Map;

/** The JSON shapes the API answers with (docs/api.md), as records; the server writes them, the CLI reads them. */
public final class Views {
    private Views() {
    }

    /**
     * An error body.
     *
     * @param error   the code
     * @param message what went wrong
     */
    public record Error(String error, String message) {
    }

    /**
     * A service.
     *
     * @param name       name
     * @param image      image
     * @param replicas   desired replicas
     * @param revision   spec revision
     * @param status     running, converging, degraded, stopped
     * @param running    running replicas
     * @param healthy    healthy replicas
     * @param ports      ports
     * @param containers the replicas
     * @param spec       the full spec, in the shape it is deployed in (single-service view only)
     * @param deployment its latest rollout (single-service view only, absent if it never had one)
     */
    public record Service(String name, String image, int replicas, long revision, String status, int running,
                          int healthy, List<Port> ports, List<Container> containers,
                          @JsonInclude(JsonInclude.Include.NON_NULL) DeployRequest spec,
                          @JsonInclude(JsonInclude.Include.NON_NULL) Rollout deployment) {
        /** Absent lists (an answer read from a server that omits them) are empty. */
        public Service {
            ports = ports == null ? List.of() : ports;
            containers = containers == null ? List.of() : containers;
        }

        /** A view without a rollout. */
        public Service(String name, String image, int replicas, long revision, String status, int running,
                       int healthy, List<Port> ports, List<Container> containers, DeployRequest spec) {
            this(name, image, replicas, revision, status, running, healthy, ports, containers, spec, null);
        }
    }

    /**
     * How far a service's latest rollout got.
     *
     * @param revision     the revision rolled out
     * @param fromRevision the revision before it, 0 if none
     * @param status       running, paused, succeeded, rolled_back or superseded
     * @param rollback     true if it is itself a rollback (then {@code fromRevision} is the one rolled back)
     * @param message      what happened last
     * @param replicas     the desired replica count
     * @param updated      replicas assigned the revision (replaced, or being replaced)
     * @param healthy      replicas observed serving at the revision
     * @param startedAt    when it began (ISO-8601)
     * @param updatedAt    when it last changed (ISO-8601)
     */
    public record Rollout(long revision, long fromRevision, String status, boolean rollback, String message,
                          int replicas, int updated, int healthy, String startedAt, String updatedAt) {
    }

    /**
     * A port.
     *
     * @param containerPort container port
     * @param hostPort      published port
     * @param protocol      protocol
     */
    public record Port(int containerPort, int hostPort, String protocol) {
    }

    /**
     * A replica.
     *
     * @param id       short container id
     * @param name     replica name
     * @param status   replica state
     * @param health   health
     * @param nodeId   node
     * @param revision the spec revision its container runs
     * @param restarts restart count
     * @param hostPort ephemeral host port
     * @param message  detail
     * @param cpuPercent       CPU use (100 per busy CPU) as last measured, absent when unknown or stale
     * @param memoryBytes      memory in use as last measured, absent when unknown or stale
     * @param memoryLimitBytes its memory limit, absent when unknown
     */
    public record Container(String id, String name, String status, String health, String nodeId, long revision,
                            int restarts, int hostPort, String message,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Double cpuPercent,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long memoryBytes,
                            @JsonInclude(JsonInclude.Include.NON_NULL) Long memoryLimitBytes) {
        /** A replica without stats. */
        public Container(String id, String name, String status, String health, String nodeId, long revision,
                         int restarts, int hostPort, String message) {
            this(id, name, status, health, nodeId, revision, restarts, hostPort, message, null, null, null);
        }
    }

    /**
     * An event.
     *
     * @param timestamp ISO-8601 UTC
     * @param type      type
     * @param service   service
     * @param container replica
     * @param message   message
     * @param id        its id, increasing; a follower resumes after it ({@code Last-Event-ID})
     * @param node      the node concerned, or null
     */
    public record Event(String timestamp, String type, String service, String container, String message, long id,
                        String node) {
    }

    /**
     * A node. Its sizes are boxed so that a client reading an older server's answer tells an absent
     * field from 0.
     *
     * @param id                   the node name
     * @param address              its advertised address
     * @param status               ready or down
     * @param availability         active, cordoned or draining
     * @param cpus                 CPUs it offers
     * @param memoryBytes          memory it offers (null only as read from a server that does not say)
     * @param allocatedCpuShares   CPU shares its assigned replicas request (null as read from a server
     *                             before allocation was reported)
     * @param allocatedMemoryBytes memory its assigned replicas request (null likewise)
     * @param runtimeVersion       its Docker version
     * @param containers           replicas with a container on it
     * @param labels               its labels
     * @param lastHeartbeat        its last heartbeat (ISO-8601), null if never
     * @param local                true for the server's own node
     * @param usage                what the node's last heartbeat reported it uses, null if unknown
     * @param engine               {@code ok}, or {@code unreachable: REASON} while the node says its container
     *                             engine does not answer
     */
    public record Node(String id, String address, String status, String availability, int cpus, Long memoryBytes,
                       Long allocatedCpuShares, Long allocatedMemoryBytes, String runtimeVersion, int containers,
                       Map<String, String> labels, String lastHeartbeat, boolean local, Usage usage,
                       String engine) {
    }

    /**
     * One line of a replica's output, as {@code GET /api/services/{name}/logs?follow=true} streams
     * it: the data of a {@code line} event.
     *
     * @param time    when the runtime received it, ISO-8601
     * @param replica the replica, e.g. {@code api-server-1}
     * @param node    the node that ran it
     * @param stream  {@code stdout} or {@code stderr}
     * @param line    the text, without its newline
     */
    public record LogLine(String time, String replica, String node, String stream, String line) {
    }

    /**
     * Something a log follower is told about one node (slow, lost, back): the data of a
     * {@code notice} event.
     *
     * @param node    the node, or {@code server} for the stream itself
     * @param message what happened
     */
    public record LogNotice(String node, String message) {
    }

    /**
     * A node's resource usage.
     *
     * @param containers           containers of this cluster on it
     * @param load1                one-minute load average
     * @param memoryAvailableBytes memory available
     */
    public record Usage(int containers, double load1, long memoryAvailableBytes) {
    }

    /**
     * A join token just created: the only answer that ever holds the token itself. Fields in
     * the order the API has always written them (sorted by name).
     *
     * @param createdAt when (ISO-8601)
     * @param id        its id
     * @param token     the token an agent presents
     */
    @JsonPropertyOrder({"created_at", "id", "token"})
    public record TokenCreated(String id, String token, String createdAt) {
    }

    /**
     * A join token as listed: id and time only.
     *
     * @param createdAt when (ISO-8601)
     * @param id        its id
     */
    @JsonPropertyOrder({"created_at", "id"})
    public record Token(String id, String createdAt) {
    }

    /**
     * One revision of a service.
     *
     * @param revision  its number
     * @param createdAt when it was deployed (ISO-8601)
     * @param image     its image
     * @param current   whether the service runs it now
     * @param spec      its spec (with the current replica count)
     */
    public record Revision(long revision, String createdAt, String image, boolean current, DeployRequest spec) {
    }

    /**
     * An API user as listed, added or changed: never its password or hash.
     *
     * @param name      the user name
     * @param role      {@code admin}, {@code operator} or {@code viewer}
     * @param createdAt when it was added (ISO-8601)
     * @param updatedAt when its password or role last changed (ISO-8601)
     */
    @JsonPropertyOrder({"name", "role", "created_at", "updated_at"})
    public record User(String name, String role, String createdAt, String updatedAt) {
    }

    /**
     * A registry's credentials as listed or just set: never the password.
     *
     * @param host      the registry host, e.g. {@code 127.0.0.1:5000}
     * @param username  the user name
     * @param updatedAt when they were last set (ISO-8601)
     */
    @JsonPropertyOrder({"host", "username", "updated_at"})
    public record Registry(String host, String username, String updatedAt) {
    }

    /**
     * The answer to a delete.
     *
     * @param name    the service
     * @param deleted always true
     */
    public record Deleted(String name, boolean deleted) {
    }
}
