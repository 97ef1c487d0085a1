package dev.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;

/**
 * Follows the rollout of one revision in the {@code deployment} of the service's view: prints
 * {@code NAME: revision N: U/R updated, H healthy} whenever the counts change, and tells when the
 * wait is over. The rollout must succeed; a rollback that took over, a pause or a newer revision
 * ends the wait with an {@link ApiException}. Until the view shows a deployment of the revision
 * (a server without rollouts never does), the replicas alone decide, as {@link Rollout#settled}.
 */
final class DeploymentWatch {
    private final String name;
    private final long revision;
    private String lastProgress;
    private long fromRevision;
    private String lastMessage;
    private boolean seen;

    /**
     * @param name     the service
     * @param revision the revision deployed, 0 to follow no rollout
     */
    DeploymentWatch(String name, long revision) {
        this.name = name;
        this.revision = revision;
    }

    /**
     * @param service the service as {@code GET /api/services/{name}} answers it
     * @param out     where progress goes
     * @return true once the rollout succeeded (if there is one to follow) and the service is settled
     * @throws ApiException if the rollout was rolled back, paused or superseded
     */
    boolean finished(JsonNode service, PrintStream out) {
        JsonNode d = service.path("deployment");
        if (revision == 0 || !d.isObject()) {
            return Rollout.settled(service);
        }
        long r = d.path("revision").asLong();
        if (d.path("rollback").asBoolean() && d.path("from_revision").asLong() == revision && r != revision) {
            throw rolledBack(r, text(d));
        }
        if (r == revision) {
            return own(service, d, out);
        }
        if (r > revision || seen) {
            throw new ApiException(name + ": revision " + revision + " was superseded by revision " + r
                    + " (another deploy); see 'orchestrator events --service " + name + "'");
        }
        return Rollout.settled(service); // the server has not begun this rollout yet
    }

    private boolean own(JsonNode service, JsonNode d, PrintStream out) {
        seen = true;
        fromRevision = d.path("from_revision").asLong();
        lastMessage = text(d);
        progress(d, out);
        return switch (d.path("status").asText()) {
            case "succeeded" -> Rollout.settled(service);
            case "paused" -> {
                Rollout.report(service, out);
                throw new ApiException(name + ": rollout of revision " + revision + " paused"
                        + (lastMessage == null ? "" : ": " + lastMessage)
                        + "; deploy again or run 'orchestrator rollback " + name + "'");
            }
            case "rolled_back" -> throw rolledBack(0, lastMessage);
            case "superseded" -> throw new ApiException(name + ": revision " + revision
                    + " was superseded by revision " + service.path("revision").asLong() + " (another deploy)");
            default -> false;
        };
    }

    private void progress(JsonNode d, PrintStream out) {
        String line = name + ": revision " + revision + ": " + d.path("updated").asInt() + "/"
                + d.path("replicas").asInt() + " updated, " + d.path("healthy").asInt() + " healthy";
        if (!line.equals(lastProgress)) {
            out.println(line);
            lastProgress = line;
        }
    }

    /**
     * @param now     the rollback's revision, 0 if unknown
     * @param message why, or null
     */
    private ApiException rolledBack(long now, String message) {
        String why = message != null ? message : lastMessage;
        String to = fromRevision > 0 ? "rolled back to revision " + fromRevision
                : "rolled back" + (now > 0 ? ", now revision " + now : "");
        return new ApiException(name + ": " + to + " (revision " + revision + " failed"
                + (why == null ? "; see 'orchestrator events --service " + name + "'" : ": " + why) + ")");
    }

    private static String text(JsonNode d) {
        JsonNode m = d.path("message");
        return m.isTextual() && !m.asText().isBlank() ? m.asText() : null;
    }
}
