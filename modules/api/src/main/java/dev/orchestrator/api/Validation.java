package dev.orchestrator.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation and parsing of user input shared by the API, the CLI and the records. Every
 * method throws {@link OrchestratorException} with {@link ErrorCode#INVALID_ARGUMENT} and a
 * message naming the field, what was expected and what was found.
 */
public final class Validation {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    // Docker reference grammar, simplified: [registry[:port]/]path[:tag][@digest], lower-case path.
    private static final Pattern IMAGE_REF = Pattern.compile(
            "(?:[a-zA-Z0-9.-]+(?::[0-9]{1,5})?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?");
    private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})([kmgKMG]?)[bB]?");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private Validation() {
    }

    /**
     * Checks a name used as a DNS label: 1..63 chars of {@code [a-z0-9-]}, no leading or
     * trailing hyphen.
     *
     * @param field the field name, for the message
     * @param value the value
     * @return the value
     */
    public static String dnsLabel(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw OrchestratorException.invalid(field + " is required");
        }
        if (value.length() > 63 || !DNS_LABEL.matcher(value).matches()) {
            throw OrchestratorException.invalid(field + " must be a DNS label (1-63 characters of a-z, 0-9 and '-',"
                    + " not starting or ending with '-'), got '" + abbreviate(value) + "'");
        }
        return value;
    }

    /**
     * @param field the field name
     * @param port  the port
     * @return the port, if in 1..65535
     */
    public static int port(String field, int port) {
        if (port < 1 || port > 65535) {
            throw OrchestratorException.invalid(field + " must be a port in 1..65535, got " + port);
        }
        return port;
    }

    /**
     * @param field the field name
     * @param value the value
     * @param min   inclusive lower bound
     * @param max   inclusive upper bound
     * @return the value, if within bounds
     */
    public static long range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw OrchestratorException.invalid(field + " must be in " + min + ".." + max + ", got " + value);
        }
        return value;
    }

    /**
     * Checks an image reference such as {@code myapp:latest} or {@code registry:5000/team/app:1.2}.
     *
     * @param field the field name
     * @param ref   the reference
     * @return the reference
     */
    public static String imageRef(String field, String ref) {
        if (ref == null || ref.isBlank()) {
            throw OrchestratorException.invalid(field + " is required");
        }
        if (ref.length() > 255 || !IMAGE_REF.matcher(ref).matches()) {
            throw OrchestratorException.invalid(field + " must be an image reference like 'name:tag' or"
                    + " 'registry/name:tag', got '" + abbreviate(ref) + "'");
        }
        return ref;
    }

    /**
     * The registry an image reference names, by Docker's rule: the part before the first
     * {@code /} is a registry host if it has a {@code .} or a {@code :} or is
     * {@code localhost}; otherwise the image is on Docker Hub.
     *
     * @param ref a valid image reference
     * @return its registry host, e.g. {@code registry.example.com:5000}, or {@code docker.io}
     */
    public static String registryHost(String ref) {
        int slash = ref.indexOf('/');
        if (slash > 0) {
            String first = ref.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    /**
     * Parses a duration written as a number and a unit: {@code 500ms}, {@code 10s}, {@code 5m},
     * {@code 1h}.
     *
     * @param field the field name
     * @param text  the text
     * @return the duration, always positive
     */
    public static Duration duration(String field, String text) {
        var m = text == null ? null : DURATION.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw OrchestratorException.invalid(field + " must be a duration like '500ms', '10s', '5m' or '1h', got '"
                    + abbreviate(String.valueOf(text)) + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        if (d.isZero()) {
            throw OrchestratorException.invalid(field + " must be greater than zero, got '" + text + "'");
        }
        return d;
    }

    /**
     * Formats a duration the way {@link #duration} reads it.
     *
     * @param d the duration
     * @return e.g. {@code 10s} or {@code 1500ms}
     */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
    }

    /**
     * Parses a memory size: a number of bytes, or with suffix {@code k}, {@code m}, {@code g}
     * (binary multiples), e.g. {@code 512m}.
     *
     * @param field the field name
     * @param text  the text
     * @return the size in bytes, always positive
     */
    public static long size(String field, String text) {
        var m = text == null ? null : SIZE.matcher(text.trim());
        if (m == null || !m.matches()) {
            throw OrchestratorException.invalid(field + " must be a size like '512m' or '1g', got '"
                    + abbreviate(String.valueOf(text)) + "'");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        if (n > Long.MAX_VALUE >> shift) { // n << shift would wrap around, possibly to a plausible size
            throw OrchestratorException.invalid(field + " must be at most " + Long.MAX_VALUE + " bytes, got '"
                    + abbreviate(text) + "'");
        }
        long bytes = n << shift;
        if (bytes <= 0) {
            throw OrchestratorException.invalid(field + " must be greater than zero, got '" + text + "'");
        }
        return bytes;
    }

    /**
     * @param field the field name
     * @param key   an environment variable name
     * @return the key, if it is a valid variable name
     */
    public static String envKey(String field, String key) {
        if (key == null || key.length() > 255 || !ENV_KEY.matcher(key).matches()) {
            throw OrchestratorException.invalid(field + " must be an environment variable name"
                    + " ([A-Za-z_][A-Za-z0-9_]*), got '" + abbreviate(String.valueOf(key)) + "'");
        }
        return key;
    }

    /**
     * Copies a list, refusing null elements (a JSON {@code null} in an array).
     *
     * @param field  the field name, for the message
     * @param values the list, or null for an empty one
     * @param <T>    the element type
     * @return an immutable copy
     */
    static <T> List<T> listOf(String field, List<T> values) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw OrchestratorException.invalid(field + "[" + i + "] must not be null");
            }
        }
        return List.copyOf(values);
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }
}
