package dev.orchestrator.server;

import dev.orchestrator.app.JoinTokenUseCases;
import dev.orchestrator.wire.Views;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code /api/tokens}, as HTTP only: create (the only answer that ever contains a token), list
 * (ids and times only) and revoke join tokens, through {@link JoinTokenUseCases}.
 */
final class TokenRoutes implements HttpService {
    private final JoinTokenUseCases tokens;

    TokenRoutes(JoinTokenUseCases tokens) {
        this.tokens = tokens;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::create)
                .get("/", this::list)
                .delete("/{id}", this::revoke);
    }

    private void create(ServerRequest req, ServerResponse res) {
        JoinTokenUseCases.Created t = tokens.create(new JoinTokenUseCases.Create());
        res.status(Status.CREATED_201);
        ApiService.json(res, new Views.TokenCreated(t.id(), t.token(), t.createdAt().toString()));
    }

    private void list(ServerRequest req, ServerResponse res) {
        ApiService.json(res, tokens.list().stream().map(t -> new Views.Token(t.id(), t.createdAt().toString()))
                .toList());
    }

    private void revoke(ServerRequest req, ServerResponse res) {
        tokens.revoke(new JoinTokenUseCases.Revoke(req.path().pathParameters().get("id")));
        res.status(Status.NO_CONTENT_204);
        res.send();
    }
}
