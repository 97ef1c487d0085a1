package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;
import io.helidon.security.SecurityResponse;
import io.helidon.security.providers.httpauth.HttpBasicAuthProvider;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.security.SecurityHttpFeature;
import java.time.Clock;

/**
 * Basic authentication of every {@code /api} route through Helidon Security's HTTP basic-auth
 * provider. The gate is our own handler (rather than Helidon's default) only so that a refusal
 * answers with the API's JSON error body; the credential check itself is Helidon's.
 */
final class Auth {
    /** The realm in the {@code WWW-Authenticate} challenge. */
    static final String REALM = "orchestrator";

    private Auth() {
    }

    /**
     * Registers Helidon Security on the routing and returns the gate handler for protected routes.
     *
     * @param routing the routing being built
     * @param store   where users live
     * @param clock   the clock
     * @return the gate: passes authenticated requests on, answers 401 otherwise
     */
    static Handler install(HttpRouting.Builder routing, Store store, Clock clock) {
        Security security = Security.builder()
                .addAuthenticationProvider(HttpBasicAuthProvider.builder()
                        .realm(REALM)
                        .userStore(new UserStore(store, clock))
                        .build())
                .build();
        routing.addFeature(SecurityHttpFeature.create(security));
        return (req, res) -> {
            SecurityContext ctx = req.context().get(SecurityContext.class).orElse(null);
            AuthenticationResponse atn = ctx == null ? null : ctx.atnClientBuilder().submit();
            if (atn != null && atn.status() == SecurityResponse.SecurityStatus.SUCCESS) {
                res.next();
                return;
            }
            res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
            ErrorResponses.send(res, ErrorCode.UNAUTHENTICATED,
                    "authentication required: HTTP basic credentials of an orchestrator user");
        };
    }
}
