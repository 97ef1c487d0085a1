package dev.orchestrator.cli;

import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.api.Validation;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every setting of {@code server} and {@code agent}, by its config-file key. The file has five
 * sections: {@code server} and {@code agent} (each read by that command only), {@code node}
 * (the node the process runs: both read it), {@code plugins} and {@code log} (both read them). Two keys hold mappings:
 * {@link #LABELS} and {@code plugins.<kind>.<name>} (see {@link ConfigFile}).
 */
final class Settings {
    static final Setting SERVER_PORT = port("server.port");
    static final Setting SERVER_BIND = text("server.bind");
    static final Setting SERVER_DATA_DIR = new Setting("server.data-dir", "a directory", nonBlank(), false,
            List.of("ORCHESTRATOR_DATA_DIR"));
    static final Setting SERVER_LOCAL_NODE = new Setting("server.local-node", "true or false",
            v -> v.equals("true") || v.equals("false"), false, List.of());
    static final Setting SERVER_NODE_TIMEOUT = duration("server.node-timeout");
    static final Setting SERVER_SCHEDULER = name("server.scheduler");
    static final Setting SERVER_ADMIN_PASSWORD_FILE = new Setting("server.admin-password-file", "a file",
            nonBlank(), false, List.of());
    static final Setting SERVER_TLS_CERT = new Setting("server.tls-cert", "a PEM file", nonBlank(), false, List.of());
    static final Setting SERVER_TLS_KEY = new Setting("server.tls-key", "a PEM file", nonBlank(), false, List.of());
    static final Setting SERVER_CLUSTER_PORT = new Setting("server.cluster-port", "a port number 0-65535, or off",
            v -> v.equals("off") || v.matches("[0-9]{1,5}") && Integer.parseInt(v) <= 65535, false, List.of());
    static final Setting SERVER_CPU_OVERCOMMIT = new Setting("server.cpu-overcommit",
            "a number between 1 and 64, such as 4 or 1.5", Settings::overcommit, false, List.of());

    static final Setting EVENTS_MAX_COUNT = new Setting("events.max-count", "a whole number 100-10000000",
            v -> v.matches("[0-9]{3,8}") && Integer.parseInt(v) >= 100 && Integer.parseInt(v) <= 10_000_000, false,
            List.of());
    static final Setting EVENTS_MAX_AGE = duration("events.max-age");

    static final Setting AGENT_SERVER = new Setting("agent.server",
            "an http:// or https:// URL such as http://10.0.0.1:8080", Settings::httpUrl, false, List.of());
    static final Setting AGENT_TOKEN = new Setting("agent.token", "a join token (see orchestrator token)",
            nonBlank(), true, List.of("ORCHESTRATOR_JOIN_TOKEN"));
    static final Setting AGENT_PORT = port("agent.port");
    static final Setting AGENT_CA_CERT = new Setting("agent.ca-cert", "a PEM file", nonBlank(), false, List.of());
    static final Setting AGENT_DATA_DIR = new Setting("agent.data-dir", "a directory", nonBlank(), false, List.of());

    static final Setting NODE_NAME = name("node.name");
    static final Setting NODE_ADVERTISE_ADDRESS = text("node.advertise-address");
    static final Setting NODE_INGRESS_ADDRESS = text("node.ingress-address");
    static final Setting NODE_CPUS = new Setting("node.cpus", "a whole number 0-4096",
            v -> v.matches("[0-9]{1,4}") && Integer.parseInt(v) <= 4096, false, List.of());
    static final Setting NODE_MEMORY = new Setting("node.memory", "a size such as 512m or 2g, or 0 for what Docker"
            + " reports", v -> v.equals("0") || valid(t -> Validation.size("memory", t)).test(v), false, List.of());
    static final Setting NODE_CONTAINER_LOGS_MAX_SIZE = new Setting("node.container-logs-max-size",
            "a size of at least 64k such as 50m", valid(v -> new dev.orchestrator.node.LogRetention(
                    Validation.size("node.container-logs-max-size", v), java.time.Duration.ofDays(1))), false, List.of());
    static final Setting NODE_CONTAINER_LOGS_MAX_AGE = duration("node.container-logs-max-age");
    static final Setting NODE_RUNTIME = name("node.runtime");
    static final Setting NODE_LOAD_BALANCER = name("node.load-balancer");
    /** The node labels: a mapping in the file, {@code KEY=VALUE,KEY=VALUE} in the environment. */
    static final Setting LABELS = new Setting("node.labels", "KEY=VALUE pairs separated by ','",
            v -> v.isBlank() || labels(v).isPresent(), false, List.of());

    static final Setting PLUGINS_DIR = new Setting("plugins.dir", "a directory", nonBlank(), false, List.of());

    static final Setting LOG_LEVEL = new Setting("log.level", "one of error, warn, info, debug", Logging::validLevel,
            false, List.of());
    static final Setting LOG_FORMAT = new Setting("log.format", "text or json", Logging::validFormat, false,
            List.of());

    /** Every setting, in the order of the file's sections. */
    static final List<Setting> ALL = List.of(SERVER_PORT, SERVER_BIND, SERVER_DATA_DIR, SERVER_LOCAL_NODE,
            SERVER_NODE_TIMEOUT, SERVER_SCHEDULER, SERVER_CPU_OVERCOMMIT, SERVER_ADMIN_PASSWORD_FILE, SERVER_TLS_CERT, SERVER_TLS_KEY, SERVER_CLUSTER_PORT, EVENTS_MAX_COUNT, EVENTS_MAX_AGE, AGENT_SERVER, AGENT_TOKEN, AGENT_PORT, AGENT_CA_CERT,
            AGENT_DATA_DIR, NODE_NAME, NODE_ADVERTISE_ADDRESS, NODE_INGRESS_ADDRESS, NODE_CPUS, NODE_MEMORY,
            NODE_CONTAINER_LOGS_MAX_SIZE, NODE_CONTAINER_LOGS_MAX_AGE, NODE_RUNTIME, NODE_LOAD_BALANCER, LABELS, PLUGINS_DIR, LOG_LEVEL, LOG_FORMAT);

    private static final Map<String, Setting> BY_KEY = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));

    private Settings() {
    }

    /**
     * @param key a file key
     * @return its setting, if there is one
     */
    static Optional<Setting> find(String key) {
        return Optional.ofNullable(BY_KEY.get(key));
    }

    /**
     * @param section a section, e.g. {@code server}
     * @return its keys, comma-separated, for messages
     */
    static String keysOf(String section) {
        return ALL.stream().map(Setting::key).filter(k -> k.startsWith(section + "."))
                .collect(Collectors.joining(", "));
    }

    /**
     * Parses labels written {@code KEY=VALUE,KEY=VALUE}.
     *
     * @param text the text
     * @return the labels, or empty if a pair has no '=' or a key is not a DNS label
     */
    static Optional<Map<String, String>> labels(String text) {
        var labels = new java.util.LinkedHashMap<String, String>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !valid(k -> Validation.dnsLabel("label", k)).test(pair.substring(0, eq).trim())) {
                return Optional.empty();
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return Optional.of(labels);
    }

    private static Setting port(String key) {
        return new Setting(key, "a port number 0-65535",
                v -> v.matches("[0-9]{1,5}") && Integer.parseInt(v) <= 65535, false, List.of());
    }

    private static Setting text(String key) {
        return new Setting(key, "a non-empty string", nonBlank(), false, List.of());
    }

    private static Setting name(String key) {
        return new Setting(key, "a name of lower-case letters, digits and '-'",
                valid(v -> Validation.dnsLabel(key, v)), false, List.of());
    }

    private static Setting duration(String key) {
        return new Setting(key, "a duration such as 500ms, 5s, 1m or 1h", valid(v -> Validation.duration(key, v)),
                false, List.of());
    }

    private static Predicate<String> nonBlank() {
        return v -> !v.isBlank();
    }

    /** @return true for the texts {@code parse} accepts */
    private static Predicate<String> valid(Function<String, ?> parse) {
        return v -> {
            try {
                parse.apply(v);
                return true;
            } catch (OrchestratorException e) {
                return false;
            }
        };
    }

    private static boolean overcommit(String v) {
        try {
            double d = Double.parseDouble(v);
            return d >= 1 && d <= 64;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean httpUrl(String v) {
        try {
            URI uri = new URI(v);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
