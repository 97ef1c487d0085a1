package dev.orchestrator.server;

import dev.orchestrator.api.Role;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Which role a request needs, decided by the gate before any handler runs, from its method and
 * its path alone:
 *
 * <ul>
 *   <li>users, join tokens and registry credentials ({@code /api/users}, {@code /api/tokens},
 *       {@code /api/registries}): {@code admin}, except a user's own
 *       {@code PUT /api/users/NAME/password}, which every user may send;</li>
 *   <li>every other read ({@code GET}, {@code HEAD}): {@code viewer};</li>
 *   <li>every other change: {@code operator}.</li>
 * </ul>
 *
 * <p>The path is normalized first (empty and {@code .} segments dropped, {@code ..} applied,
 * case folded for the prefix test), so {@code /api//users} or {@code /api/x/../users} cannot
 * pass for a route of a lower role. Thread-safe: pure functions.
 */
final class Permissions {
    private static final String[] ADMIN_PREFIXES = {"/api/users", "/api/tokens", "/api/registries"};

    private Permissions() {
    }

    /**
     * @param method the HTTP method, e.g. {@code POST}
     * @param path   the request's decoded path
     * @param login  the authenticated user
     * @return the least role that may make the request
     */
    static Role needed(String method, String path, String login) {
        String p = normalize(path);
        String lower = p.toLowerCase(Locale.ROOT);
        for (String prefix : ADMIN_PREFIXES) {
            if (lower.equals(prefix) || lower.startsWith(prefix + "/")) {
                return "PUT".equals(method) && p.equals("/api/users/" + login + "/password") ? Role.VIEWER : Role.ADMIN;
            }
        }
        return "GET".equals(method) || "HEAD".equals(method) ? Role.VIEWER : Role.OPERATOR;
    }

    /** @return the path with empty and {@code .} segments dropped and {@code ..} applied, from {@code /} */
    static String normalize(String path) {
        Deque<String> kept = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                kept.pollLast();
            } else {
                kept.addLast(segment);
            }
        }
        return "/" + String.join("/", kept);
    }
}
