package dev.orchestrator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * One setting of {@code server} or {@code agent}: its key in the config file, the environment
 * variable derived from that key, and which texts are valid. The command line names it with a
 * flag of the command's choosing ({@link Configuration}).
 *
 * @param key       the file key, e.g. {@code server.port}
 * @param expected  what a valid value looks like, for messages, e.g. {@code a port number 0-65535}
 * @param valid     accepts the texts the setting can be parsed from
 * @param secret    true for a value never echoed in messages (the join token)
 * @param legacyEnv older environment variables that still set it, read after {@link #env()}
 */
record Setting(String key, String expected, Predicate<String> valid, boolean secret, List<String> legacyEnv) {
    private static final Pattern KEY = Pattern.compile("[a-z]+(-[a-z]+)*(\\.[a-z]+(-[a-z]+)*)+");

    /** Validates the key and copies the list. */
    Setting {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("setting key '" + key + "'");
        }
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(valid, "valid");
        legacyEnv = List.copyOf(legacyEnv);
    }

    /** @return the environment variable: {@code ORCHESTRATOR_}, then the key upper-cased with '.' and '-' as '_' */
    String env() {
        return "ORCHESTRATOR_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** @return every environment variable that sets it, in order of precedence */
    List<String> envNames() {
        var names = new ArrayList<String>();
        names.add(env());
        legacyEnv.stream().filter(n -> !n.equals(env())).forEach(names::add);
        return names;
    }

    /**
     * @param field what the user called the value: a flag, an environment variable or FILE: KEY
     * @param text  the value
     * @return the text, if valid
     * @throws CliException "FIELD must be EXPECTED, got 'TEXT'", without the text for a secret
     */
    String read(String field, String text) {
        if (!valid.test(text)) {
            throw new CliException(field + " must be " + expected + (secret ? "" : ", got '" + text + "'"));
        }
        return text;
    }
}
