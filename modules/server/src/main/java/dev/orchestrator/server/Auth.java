package dev.orchestrator.server;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Role;
import dev.orchestrator.store.Store;
import io.helidon.http.HeaderNames;
import io.helidon.security.AuthenticationResponse;
import io.helidon.security.Security;
import io.helidon.security.SecurityContext;
import io.helidon.security.SecurityResponse;
import io.helidon.security.providers.httpauth.HttpBasicAuthProvider;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.security.SecurityHttpFeature;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Semaphore;

/**
 * Basic authentication of every {@code /api} route through Helidon Security's HTTP basic-auth
 * provider. The gate is our own handler (rather than Helidon's default) so that a refusal
 * answers with the API's JSON error body, and so that a wrong password cannot buy CPU: the
 * credential check itself is Helidon's, but before it
 *
 * <ul>
 *   <li>credentials verified recently pass at the cost of a SHA-256 ({@link UserStore});</li>
 *   <li>a client address or a user name with too many failures in the window is answered 429
 *       with {@code Retry-After} and costs nothing;</li>
 *   <li>at most {@link Limits#concurrentPasswordChecks()} derivations run at once; a few more
 *       requests ({@link #WAITING}) wait up to {@link #CHECK_WAIT} for their turn (a CLI and a
 *       browser logging in together must both get in), and the rest are answered 429 at once
 *       rather than queued behind them.</li>
 * </ul>
 *
 * <p>Once the user is known, its role must include the one the request needs
 * ({@link Permissions}), else the answer is 403 {@code permission_denied}. The gate runs before
 * any handler reads the request body.
 */
final class Auth {
    /** The realm in the {@code WWW-Authenticate} challenge. */
    static final String REALM = "orchestrator";
    private static final String BASIC = "basic ";
    /** Keys tracked by each throttle: client input, so bounded. */
    private static final int TRACKED = 10_000;
    /** Requests that may wait for a password check beyond those running. */
    static final int WAITING = 16;
    /** How long one of them waits before it is answered 429. */
    static final Duration CHECK_WAIT = Duration.ofSeconds(3);

    private Auth() {
    }

    /**
     * Registers Helidon Security on the routing and returns the gate handler for protected routes.
     *
     * @param routing the routing being built
     * @param store   where users live
     * @param clock   the clock
     * @param limits  the throttles' limits
     * @return the gate: passes authenticated requests on, answers 401 or 429 otherwise
     */
    static Handler install(HttpRouting.Builder routing, Store store, Clock clock, Limits limits) {
        UserStore users = new UserStore(store, clock, limits.rememberCredentials());
        Security security = Security.builder()
                .addAuthenticationProvider(HttpBasicAuthProvider.builder()
                        .realm(REALM)
                        .userStore(users)
                        .build())
                .build();
        routing.addFeature(SecurityHttpFeature.create(security));
        return new Gate(users, limits);
    }

    /** The gate of the protected routes. */
    private static final class Gate implements Handler {
        private final UserStore users;
        private final FailureThrottle byAddress;
        private final FailureThrottle byUser;
        private final Semaphore checks;
        private final Semaphore queue;

        Gate(UserStore users, Limits limits) {
            this.users = users;
            this.byAddress = new FailureThrottle(limits.failuresPerAddress(), limits.failureWindow(), TRACKED,
                    System::nanoTime);
            this.byUser = new FailureThrottle(limits.failuresPerUser(), limits.failureWindow(), TRACKED,
                    System::nanoTime);
            this.checks = new Semaphore(limits.concurrentPasswordChecks());
            this.queue = new Semaphore(limits.concurrentPasswordChecks() + WAITING);
        }

        @Override
        public void handle(ServerRequest req, ServerResponse res) {
            String[] basic = basic(req);
            if (basic == null) {
                refuse(res);
                return;
            }
            String login = basic[0];
            char[] password = basic[1].toCharArray();
            try {
                Optional<Role> known = users.remembered(login, password);
                if (known.isPresent()) {
                    authorize(req, res, login, known.get());
                    return;
                }
                String address = req.remotePeer().host();
                Duration wait = max(byAddress.blocked(address), byUser.blocked(login));
                if (!wait.isZero()) {
                    throttled(res, wait, "too many failed logins from this address or for this user");
                    return;
                }
                if (!turn()) {
                    throttled(res, Duration.ofSeconds(1), "too many password checks at once");
                    return;
                }
                try {
                    pass(req, res, address, login);
                } finally {
                    checks.release();
                    queue.release();
                }
            } finally {
                Arrays.fill(password, '\0');
            }
        }

        /** @return whether this request may check its password now (both permits then held) */
        private boolean turn() {
            if (!queue.tryAcquire()) {
                return false;
            }
            try {
                if (checks.tryAcquire(CHECK_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    return true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            queue.release();
            return false;
        }

        /** Helidon's check of the password, counted by the throttles. */
        private void pass(ServerRequest req, ServerResponse res, String address, String login) {
            SecurityContext ctx = req.context().get(SecurityContext.class).orElse(null);
            AuthenticationResponse atn = ctx == null ? null : ctx.atnClientBuilder().submit();
            Optional<Role> role = atn != null && atn.status() == SecurityResponse.SecurityStatus.SUCCESS
                    ? users.role(login) : Optional.empty();
            if (role.isPresent()) {
                byAddress.succeeded(address);
                byUser.succeeded(login);
                authorize(req, res, login, role.get());
                return;
            }
            byAddress.failed(address);
            byUser.failed(login);
            refuse(res);
        }

        /** Passes the request on if the user's role allows it; 403 otherwise. */
        private static void authorize(ServerRequest req, ServerResponse res, String login, Role role) {
            String method = req.prologue().method().text();
            Role needed = Permissions.needed(method, req.path().path(), login);
            if (role.includes(needed)) {
                res.next();
                return;
            }
            ErrorResponses.send(res, ErrorCode.PERMISSION_DENIED, "user '" + login + "' (" + role.wireName()
                    + ") may not " + method + " " + req.path().path() + ": it needs the " + needed.wireName()
                    + " role");
        }

        private static Duration max(Duration a, Duration b) {
            return a.compareTo(b) >= 0 ? a : b;
        }

        private static void throttled(ServerResponse res, Duration wait, String why) {
            long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
            res.header(HeaderNames.RETRY_AFTER, Long.toString(seconds));
            ErrorResponses.send(res, ErrorCode.TOO_MANY_REQUESTS, why + ": retry in " + seconds + " s");
        }

        private static void refuse(ServerResponse res) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\"");
            ErrorResponses.send(res, ErrorCode.UNAUTHENTICATED,
                    "authentication required: HTTP basic credentials of an orchestrator user");
        }

        /** The user name and password of a basic {@code Authorization} header; null if none parses. */
        private static String[] basic(ServerRequest req) {
            String auth = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
            if (auth == null || auth.length() <= BASIC.length()
                    || !auth.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.substring(BASIC.length()).trim()),
                        StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            return colon < 0 ? null : new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
        }
    }
}
