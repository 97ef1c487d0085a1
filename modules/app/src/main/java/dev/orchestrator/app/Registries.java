package dev.orchestrator.app;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.Event;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.RegistryCredential;
import dev.orchestrator.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Container registry credentials for the whole cluster, like {@code docker login}: set
 * ({@link #login}), list (never a password) and remove ({@link #logout}). Each change is one
 * store transaction with its event (naming the host and the user, never the password), then
 * {@link ClusterHooks#registriesChanged()} so the nodes' views follow.
 *
 * <p>Thread-safe; every method blocks on the store.
 */
public final class Registries {
    static final int MAX_HOST = 253;
    static final int MAX_USERNAME = 255;
    static final int MAX_PASSWORD = 4096;
    private static final String LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
    private static final Pattern HOST = Pattern.compile("(" + LABEL + "(?:\\." + LABEL + ")*)(?::([0-9]{1,5}))?");
    private static final Pattern IPV4 = Pattern.compile("[0-9]+(?:\\.[0-9]+)*");
    private static final Pattern OCTET = Pattern.compile("25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]");

    private final Store store;
    private final ClusterHooks hooks;
    private final Clock clock;

    /**
     * @param store the store
     * @param hooks the cluster side
     * @param clock the clock of the credentials' times and the events
     */
    public Registries(Store store, ClusterHooks hooks, Clock clock) {
        this.store = store;
        this.hooks = hooks;
        this.clock = clock;
    }

    /**
     * A registry's credentials as shown: never the password.
     *
     * @param host      the registry host
     * @param username  the user name
     * @param updatedAt when they were last set
     */
    public record View(String host, String username, Instant updatedAt) {
        /** Requires every field. */
        public View {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }

        static View of(RegistryCredential c) {
            return new View(c.host(), c.username(), c.updatedAt());
        }
    }

    /**
     * Sets a registry's credentials, replacing those it had.
     *
     * @param host     the registry host as image references name it, e.g. {@code 127.0.0.1:5000}
     * @param username the user name
     * @param password the password or token, in the clear
     * @return the credentials as stored, without the password
     * @throws OrchestratorException {@code INVALID_ARGUMENT}, with nothing changed
     */
    public View login(String host, String username, String password) {
        host(host);
        text("username", username, MAX_USERNAME);
        text("password", password, MAX_PASSWORD);
        var credential = new RegistryCredential(host, username, password, clock.instant());
        store.runInTransaction(tx -> {
            tx.registries().put(credential);
            tx.events().append(new Event(credential.updatedAt(), "registry", null, null,
                    "Registry credentials for " + host + " set (user " + username + ")"));
        });
        hooks.registriesChanged();
        return View.of(credential);
    }

    /** @return every registry's credentials, by host, without passwords */
    public List<View> list() {
        return store.registries().all().stream().map(View::of).toList();
    }

    /**
     * Removes a registry's credentials.
     *
     * @param host the registry host
     * @throws OrchestratorException {@code INVALID_ARGUMENT}, or {@code NOT_FOUND} if it has none
     */
    public void logout(String host) {
        host(host);
        boolean gone = store.inTransaction(tx -> {
            boolean d = tx.registries().delete(host);
            if (d) {
                tx.events().append(new Event(clock.instant(), "registry", null, null,
                        "Registry credentials for " + host + " removed"));
            }
            return d;
        });
        if (!gone) {
            throw new OrchestratorException(ErrorCode.NOT_FOUND, "no credentials for registry " + host);
        }
        hooks.registriesChanged();
    }

    /**
     * A registry host as image references name it: a lower-case DNS name with a dot, an IPv4
     * address, or {@code localhost}, or any DNS name with a port; the port in 1..65535.
     *
     * @param host the host
     * @return the host
     */
    static String host(String host) {
        if (host == null || host.isEmpty()) {
            throw OrchestratorException.invalid("registry host is required");
        }
        var m = HOST.matcher(host);
        if (host.length() > MAX_HOST || !m.matches() || !nameOk(m.group(1), m.group(2) != null)
                || !portOk(m.group(2))) {
            throw OrchestratorException.invalid("registry host must be named as in image references: a lower-case"
                    + " DNS name with a dot (registry.example.com), localhost or an IPv4 address, with an optional"
                    + " :port in 1..65535, got '" + abbreviate(host) + "'");
        }
        return host;
    }

    private static boolean nameOk(String name, boolean port) {
        if (IPV4.matcher(name).matches()) {
            String[] octets = name.split("\\.");
            return octets.length == 4 && java.util.Arrays.stream(octets).allMatch(o -> OCTET.matcher(o).matches());
        }
        return port || name.contains(".") || name.equals("localhost");
    }

    private static boolean portOk(String port) {
        return port == null || (Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65535);
    }

    // Never echoes the value: it may be a password.
    private static void text(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            throw OrchestratorException.invalid(field + " is required");
        }
        if (value.length() > max || value.chars().anyMatch(Character::isISOControl)) {
            throw OrchestratorException.invalid(field + " must be 1-" + max
                    + " characters without control characters (no newline)");
        }
    }

    private static String abbreviate(String s) {
        String printable = s.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
    }
}
