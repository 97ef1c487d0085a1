package dev.orchestrator.server;

import dev.orchestrator.api.Role;
import dev.orchestrator.app.Users;
import dev.orchestrator.wire.PasswordRequest;
import dev.orchestrator.wire.RoleRequest;
import dev.orchestrator.wire.UserRequest;
import dev.orchestrator.wire.Views;
import dev.orchestrator.wire.Wire;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.function.Function;

/**
 * {@code /api/users}, as HTTP only: list, add, change the password or the role of, and remove
 * API users through {@link Users}. Who may call which route is the gate's decision
 * ({@link Permissions}: admins, and every user for its own password). No answer ever contains
 * a password or its hash. Handlers block on the store; adding a user or setting a password
 * also spends about 0.2 s of a core on its hash.
 */
final class UserRoutes implements HttpService {
    private final Users users;
    private final Function<ServerRequest, byte[]> body;

    /**
     * @param users the use case
     * @param body  reads a request's body within the API's limit
     */
    UserRoutes(Users users, Function<ServerRequest, byte[]> body) {
        this.users = users;
        this.body = body;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::list)
                .post("/", this::add)
                .put("/{name}/password", this::passwd)
                .put("/{name}/role", this::role)
                .delete("/{name}", this::remove);
    }

    private void list(ServerRequest req, ServerResponse res) {
        ApiService.json(res, users.list().stream().map(UserRoutes::view).toList());
    }

    private void add(ServerRequest req, ServerResponse res) {
        UserRequest r = Wire.read(body.apply(req), UserRequest.class);
        Users.View added = users.add(r.name(), r.password(), Role.parse(r.role()));
        res.status(Status.CREATED_201);
        ApiService.json(res, view(added));
    }

    private void passwd(ServerRequest req, ServerResponse res) {
        PasswordRequest r = Wire.read(body.apply(req), PasswordRequest.class);
        users.passwd(name(req), r.password());
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    private void role(ServerRequest req, ServerResponse res) {
        RoleRequest r = Wire.read(body.apply(req), RoleRequest.class);
        ApiService.json(res, view(users.setRole(name(req), Role.parse(r.role()))));
    }

    private void remove(ServerRequest req, ServerResponse res) {
        users.remove(name(req));
        res.status(Status.NO_CONTENT_204);
        res.send();
    }

    private static String name(ServerRequest req) {
        return req.path().pathParameters().get("name");
    }

    private static Views.User view(Users.View v) {
        return new Views.User(v.name(), v.role().wireName(), v.createdAt().toString(), v.updatedAt().toString());
    }
}
