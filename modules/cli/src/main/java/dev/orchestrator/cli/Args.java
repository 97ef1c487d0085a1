package dev.orchestrator.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parsed command-line arguments: {@code --name value}, {@code --name=value}, boolean switches,
 * repeatable options and positionals; everything after {@code --} is kept verbatim. Options not
 * declared by the command are refused.
 */
final class Args {
    private final Map<String, List<String>> options;
    private final List<String> positionals;
    private final List<String> trailing;

    private Args(Map<String, List<String>> options, List<String> positionals, List<String> trailing) {
        this.options = options;
        this.positionals = positionals;
        this.trailing = trailing;
    }

    /**
     * @param argv      the arguments after the command name
     * @param valued    options that take a value (without the leading dashes)
     * @param switches  options that take none
     * @return the parsed arguments
     * @throws CliException for an unknown option or a missing value
     */
    static Args parse(List<String> argv, Set<String> valued, Set<String> switches) {
        var options = new LinkedHashMap<String, List<String>>();
        var positionals = new ArrayList<String>();
        var trailing = new ArrayList<String>();
        for (int i = 0; i < argv.size(); i++) {
            String a = argv.get(i);
            if (a.equals("--")) {
                trailing.addAll(argv.subList(i + 1, argv.size()));
                positionals.addAll(trailing);
                break;
            }
            if (!a.startsWith("-") || a.equals("-")) {
                positionals.add(a);
                continue;
            }
            String name = a.replaceFirst("^--?", "");
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switches.contains(name) && value == null) {
                options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= argv.size()) {
                        throw new CliException("option --" + name + " needs a value");
                    }
                    value = argv.get(++i);
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw new CliException("unknown option " + a + " (see --help)");
            }
        }
        return new Args(options, positionals, trailing);
    }

    Optional<String> value(String name) {
        List<String> v = options.get(name);
        return v == null ? Optional.empty() : Optional.of(v.getLast());
    }

    List<String> values(String name) {
        return options.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    int intValue(String name, int fallback) {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.get());
        } catch (NumberFormatException e) {
            throw new CliException("option --" + name + " must be an integer, got '" + v.get() + "'");
        }
    }

    /** @return every argument that is not an option, including those after {@code --} */
    List<String> positionals() {
        return positionals;
    }

    /** @return the arguments after {@code --}, verbatim */
    List<String> trailing() {
        return trailing;
    }

    /** @return the positionals before {@code --} */
    List<String> leading() {
        return positionals.subList(0, positionals.size() - trailing.size());
    }
}
