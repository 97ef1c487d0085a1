package dev.orchestrator.server;

import dev.orchestrator.app.Registries;
import dev.orchestrator.wire.RegistryLoginRequest;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.Function;

/**
 * {@code /api/registries}, as HTTP only: list, set and remove container registry credentials
 * through {@link Registries}. No answer ever contains a password. The host is one path segment
 * and may hold a port ({@code /api/registries/127.0.0.1:5000}). Handlers block on the store.
 */
final class RegistryRoutes implements HttpService {
    private final Registries registries;
    private final Function<ServerRequest, byte[]> body;

    /**
     * @param registries the use case
     * @param body       reads a request's body within the API's limit
     */
    RegistryRoutes(Registries registries, Function<ServerRequest, byte[]> body) {
        this.registries = registries;
        this.body = body;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .put("/{host}", this::login)
                .delete("/{host}", this::logout);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ApiService.json(res, registries.list().stream().map(RegistryRoutes::view).toList());
    }

    private void login(ServerRequest req, ServerResponse res) {
        String host = host(req);
        RegistryLoginRequest r = Wire.read(body.apply(req), RegistryLoginRequest.class);
        ApiService.json(res, view(registries.login(host, r.username(), r.password())));
    }

    private void logout(ServerRequest req, ServerResponse res) {
        registries.logout(host(req));
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    private static String host(ServerRequest req) {
        return req.path().pathParameters().get("host");
    }

    private static Views.Registry view(Registries.View v) {
        return new Views.Registry(v.host(), v.username(), v.updatedAt().toString());
    }
}
