package dev.orchestrator.probe.http;

import dev.orchestrator.api.spi.ProbeTarget;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a health check endpoint into the URI to GET. An endpoint on the container's own
 * loopback ({@code localhost}, {@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::1}) is what the
 * user sees from inside the container; the prober is outside, so the host becomes the
 * target's {@code address} and the port {@code target.reachablePort(port)}, keeping the path
 * and query. Any other host is used as written.
 */
final class Endpoints {
    private static final Set<String> CONTAINER_ITSELF = Set.of("localhost", "127.0.0.1", "0.0.0.0", "[::1]", "::1");
    private static final int MAX_SHOWN = 100;

    private Endpoints() {
    }

    /**
     * @param endpoint the health check's endpoint, an absolute http(s) URL
     * @param target   the replica
     * @return the URI to request
     * @throws IllegalArgumentException with a short, user-facing reason if the endpoint is unusable
     */
    static URI resolve(String endpoint, ProbeTarget target) {
        URI uri = parse(endpoint);
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!CONTAINER_ITSELF.contains(host)) {
            return uri;
        }
        if (target.address() == null || target.address().isBlank()) {
            throw new IllegalArgumentException("replica " + target.replica() + " has no address");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : defaultPort(uri.getScheme());
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        // Built as text: URI's multi-argument constructors would encode the raw path a second time.
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + hostForUri(target.address()) + ":"
                + target.reachablePort(port) + path + query);
    }

    private static URI parse(String endpoint) {
        URI uri;
        try {
            uri = new URI(endpoint.trim());
        } catch (URISyntaxException e) {
            throw bad(endpoint, "not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw bad(endpoint, "must start with http:// or https://");
        }
        if (uri.getHost() == null) {
            throw bad(endpoint, "has no host");
        }
        return uri;
    }

    private static int defaultPort(String scheme) {
        return scheme.equalsIgnoreCase("https") ? 443 : 80;
    }

    private static String hostForUri(String address) {
        return address.indexOf(':') >= 0 && !address.startsWith("[") ? "[" + address + "]" : address;
    }

    private static IllegalArgumentException bad(String endpoint, String why) {
        String shown = endpoint.length() <= MAX_SHOWN ? endpoint : endpoint.substring(0, MAX_SHOWN) + "...";
        return new IllegalArgumentException("bad endpoint '" + shown + "': " + why);
    }
}
