package dev.orchestrator.cli;

import dev.orchestrator.wire.Views;
import java.io.PrintStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows the rollout of one revision in the {@code deployment} of the service's view: prints
 * {@code NAME: revision N: U/R updated, H healthy} whenever the counts change, and tells when the
 * wait is over. The rollout must succeed; a rollback that took over, a pause or a newer revision
 * ends the wait with an {@link ApiException}. Until the view shows a deployment of the revision
 * (a new service, or a server without rollouts, never does), the replicas alone decide, as
 * {@link Rollout#settled}.
 */
final class DeploymentWatch {
    /** The rollout event of an automatic rollback: why, the failed revision, the one restored. */
    private static final Pattern ROLLBACK_EVENT = Pattern.compile(
            "rollback: (.*); rolling \\S+ back from revision ([0-9]+) to revision ([0-9]+)");
    private final ApiClient api;
    private final String name;
    private final long revision;
    private String lastProgress;
    private long fromRevision;
    private String lastMessage;
    private boolean seen;

    /**
     * @param api      the client, to read why a rollback took over
     * @param name     the service
     * @param revision the revision deployed, 0 to follow no rollout
     */
    DeploymentWatch(ApiClient api, String name, long revision) {
        this.api = api;
        this.name = name;
        this.revision = revision;
    }

    /**
     * @param service the service as {@code GET /api/services/{name}} answers it
     * @param out     where progress goes
     * @return true once the rollout succeeded (if there is one to follow) and the service is settled
     * @throws ApiException if the rollout was rolled back, paused or superseded
     */
    boolean finished(Views.Service service, PrintStream out) {
        Views.Rollout d = service.deployment();
        if (revision == 0 || d == null) {
            return Rollout.settled(service);
        }
        long r = d.revision();
        if (r == revision) {
            return own(service, d, out);
        }
        if (d.rollback() && d.fromRevision() == revision) {
            throw tookOver(r);
        }
        if (r > revision || seen) {
            throw superseded(r);
        }
        return Rollout.settled(service); // an older rollout: this one has not begun
    }

    private boolean own(Views.Service service, Views.Rollout d, PrintStream out) {
        seen = true;
        fromRevision = d.fromRevision();
        lastMessage = d.message() == null || d.message().isBlank() ? null : d.message();
        progress(d, out);
        return switch (d.status() == null ? "" : d.status()) {
            case "succeeded" -> Rollout.settled(service);
            case "paused" -> {
                Rollout.report(service, out);
                throw new ApiException(name + ": rollout of revision " + revision + " paused"
                        + (lastMessage == null ? "" : ": " + lastMessage.replaceFirst("^roll(out|back) paused: ", ""))
                        + "; deploy again or run 'orchestrator rollback " + name + "'");
            }
            case "rolled_back" -> throw rolledBack(fromRevision, lastMessage == null ? null
                    : lastMessage.replaceFirst("^rollback: ", ""), 0);
            case "superseded" -> throw superseded(service.revision());
            default -> false;
        };
    }

    private void progress(Views.Rollout d, PrintStream out) {
        String line = name + ": revision " + revision + ": " + d.updated() + "/" + d.replicas() + " updated, "
                + d.healthy() + " healthy";
        if (!line.equals(lastProgress)) {
            out.println(line);
            lastProgress = line;
        }
    }

    /** A rollback from this revision took over: its event says why, and to which revision. */
    private ApiException tookOver(long now) {
        try {
            for (Views.Event e : api.getList("/api/events?type=rollout&limit=1000&service=" + name,
                    Views.Event.class).value()) {
                Matcher m = ROLLBACK_EVENT.matcher(e.message() == null ? "" : e.message());
                if (m.matches() && Long.parseLong(m.group(2)) == revision) {
                    return rolledBack(Long.parseLong(m.group(3)), m.group(1), now);
                }
            }
        } catch (ApiException | NumberFormatException e) {
            // the reason is a courtesy: the outcome is known without it
        }
        return rolledBack(fromRevision, null, now);
    }

    /**
     * @param to  the revision restored, 0 if unknown
     * @param why the failure, or null
     * @param now the rollback's own revision, 0 if unknown
     */
    private ApiException rolledBack(long to, String why, long now) {
        String back = to > 0 ? "rolled back to revision " + to : "rolled back" + (now > 0 ? ", now revision " + now : "");
        return new ApiException(name + ": " + back + " (revision " + revision + " failed"
                + (why == null ? "; see 'orchestrator events --service " + name + "'" : ": " + why) + ")");
    }

    private ApiException superseded(long by) {
        return new ApiException(name + ": revision " + revision + " was superseded by revision " + by
                + " (another deploy); see 'orchestrator events --service " + name + "'");
    }
}
