package dev.orchestrator.app;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.store.JoinToken;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Join tokens for agents: create (the only time a token is shown), list (ids and times only)
 * and revoke. Creating and revoking are recorded as events, by id, never with the secret.
 */
public final class JoinTokenUseCases {
    private static final Pattern ID = Pattern.compile("[0-9a-f]{6,32}");

    private final Store store;
    private final Clock clock;
    private final ClusterHooks hooks;

    /**
     * @param store the store
     * @param clock the clock of the tokens and events
     */
    public JoinTokenUseCases(Store store, Clock clock) {
        this(store, clock, null);
    }

    /**
     * @param store the store
     * @param clock the clock of the tokens and events
     * @param hooks the cluster side: new tokens carry its CA pin; null for none
     */
    public JoinTokenUseCases(Store store, Clock clock, ClusterHooks hooks) {
        this.hooks = hooks;
        this.store = store;
        this.clock = clock;
    }

    /** Create a join token. */
    public record Create() {
    }

    /**
     * Revoke a join token.
     *
     * @param id its id
     */
    public record Revoke(String id) {
    }

    /**
     * @param id the token revoked
     */
    public record Revoked(String id) {
    }

    /**
     * A token just created.
     *
     * @param id        its id
     * @param token     the token agents present: shown this once only
     * @param createdAt when
     */
    public record Created(String id, String token, Instant createdAt) {
        /** Never the secret: results end up in logs and test reports. */
        @Override
        public String toString() {
            return "Created[id=" + id + ", createdAt=" + createdAt + "]";
        }
    }

    /**
     * @param command create
     * @return the token, with its secret
     */
    public Created create(Create command) {
        return store.inTransaction(tx -> {
            JoinTokens.Issued issued = JoinTokens.issue(tx, clock.instant(),
                    hooks == null ? null : hooks.caPin().orElse(null));
            tx.events().append(new Event(issued.createdAt(), "auth", null, null,
                    "Join token " + issued.id() + " created"));
            return new Created(issued.id(), issued.token(), issued.createdAt());
        });
    }

    /** @return every token, without secrets */
    public List<JoinToken> list() {
        return store.tokens().all();
    }

    /**
     * @param command which token
     * @return what was revoked
     * @throws OrchestratorException {@code INVALID_ARGUMENT} or {@code NOT_FOUND}, with nothing changed
     */
    public Revoked revoke(Revoke command) {
        String id = command.id();
        if (id == null || !ID.matcher(id).matches()) {
            throw OrchestratorException.invalid("token id must be hex digits, as 'orchestrator token ls' shows");
        }
        boolean gone = store.inTransaction(tx -> {
            boolean d = tx.tokens().delete(id);
            if (d) {
                tx.events().append(new Event(clock.instant(), "auth", null, null, "Join token " + id + " revoked"));
            }
            return d;
        });
        if (!gone) {
            throw new OrchestratorException(ErrorCode.NOT_FOUND, "no join token with id '" + id + "'");
        }
        return new Revoked(id);
    }
}
