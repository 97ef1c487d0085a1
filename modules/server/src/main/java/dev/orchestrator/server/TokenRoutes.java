package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.cluster.JoinTokens;
import dev.orchestrator.server.json.Json;
import dev.orchestrator.store.JoinToken;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;
import java.util.Map;

/**
 * {@code /api/tokens}: create (the only answer that ever contains a token), list (ids and times
 * only) and revoke join tokens. Creating and revoking are recorded as events, by id.
 */
final class TokenRoutes implements HttpService {
    private final Store store;

    TokenRoutes(Store store) {
        this.store = store;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .delete("/{id}", this::revoke);
    }

    private void create(ServerRequest req, ServerResponse res) {
        JoinTokens.Issued t = store.inTransaction(tx -> {
            JoinTokens.Issued issued = JoinTokens.issue(tx, Instant.now());
            tx.append(new dev.orchestrator.api.Event(issued.createdAt(), "auth", null, null,
                    "Join token " + issued.id() + " created"));
            return issued;
        });
        res.status(Status.CREATED_201);
        json(res, Map.of("id", t.id(), "token", t.token(), "created_at", t.createdAt().toString()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        json(res, store.joinTokens().stream().map(TokenRoutes::view).toList());
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("id");
        if (!id.matches("[0-9a-f]{6,32}")) {
            throw OrchestratorException.invalid("token id must be hex digits, as 'orchestrator token ls' shows");
        }
        boolean gone = store.inTransaction(tx -> {
            boolean d = tx.deleteJoinToken(id);
            if (d) {
                tx.append(new dev.orchestrator.api.Event(Instant.now(), "auth", null, null,
                        "Join token " + id + " revoked"));
            }
            return d;
        });
        if (!gone) {
            throw new OrchestratorException(ErrorCode.NOT_FOUND, "no join token with id '" + id + "'");
        }
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    private static Map<String, String> view(JoinToken t) {
        return Map.of("id", t.id(), "created_at", t.createdAt().toString());
    }

    private static void json(ServerResponse res, Object body) {
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(Json.write(body));
    }
}
