package dev.orchestrator.cli;

import dev.orchestrator.api.ServiceSpec;
import dev.orchestrator.api.UpdateConfig;
import dev.orchestrator.api.Validation;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code deploy}'s {@code --update-*} flags: how the server rolls the service out to the new
 * revision, the request's {@code update} object. A flag not given is not sent (the server's
 * default applies).
 */
final class UpdateFlags {
    /** The options, without dashes, each taking a value. */
    static final List<String> OPTIONS = List.of("update-parallelism", "update-delay", "update-order",
            "update-monitor", "update-failure-action", "update-max-failure-ratio");
    /** Their {@code --help} lines. */
    static final String HELP = """
              --update-parallelism N      replicas replaced at once, across all nodes, 1..1000 (default 1)
              --update-delay D            wait after a batch is healthy before the next one, 0s..1h
                                          (default 0s)
              --update-order ORDER        start-first (default: a new container serves before the old
                                          one stops) or stop-first (for replicas that cannot run twice)
              --update-monitor D          how long a new replica must stay healthy to count as updated,
                                          0s..1h (default 5s)
              --update-failure-action A   when replicas fail: rollback (default: back to the revision
                                          before), pause (stop replacing, keep what runs) or continue
              --update-max-failure-ratio R  the share of replicas that may fail first, 0..1 (default 0)
            """;
    private static final Duration MAX = Duration.ofHours(1);

    private UpdateFlags() {
    }

    /**
     * @param args deploy's arguments
     * @return the settings given, or null if no {@code --update-*} flag is
     * @throws CliException for a bad value
     */
    static UpdateConfig parse(Args args) {
        if (OPTIONS.stream().noneMatch(o -> args.value(o).isPresent())) {
            return null;
        }
        Integer parallelism = args.value("update-parallelism").isPresent()
                ? ClientCommand.intOption(args, "update-parallelism", 1, ServiceSpec.MAX_REPLICAS, 1) : null;
        String order = word(args, "update-order", List.of("start-first", "stop-first"));
        String action = word(args, "update-failure-action", List.of("rollback", "pause", "continue"));
        return ClientCommand.local(() -> new UpdateConfig(parallelism, duration(args, "update-delay"), order,
                duration(args, "update-monitor"), action, ratio(args)));
    }

    /** A duration of 0s..1h; zero is allowed. */
    private static Duration duration(Args args, String option) {
        Optional<String> text = args.value(option);
        if (text.isEmpty()) {
            return null;
        }
        String t = text.get().trim();
        Duration d = t.matches("0+(ms|s|m|h)?") ? Duration.ZERO
                : ClientCommand.local(() -> Validation.duration("--" + option, t));
        if (d.compareTo(MAX) > 0) {
            throw new CliException("--" + option + " must be at most 1h, got '" + t + "'");
        }
        return d;
    }

    private static String word(Args args, String option, List<String> allowed) {
        Optional<String> text = args.value(option);
        if (text.isEmpty()) {
            return null;
        }
        String w = text.get().trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(w)) {
            throw new CliException("--" + option + " must be " + String.join(", ", allowed.subList(0,
                    allowed.size() - 1)) + " or " + allowed.getLast() + ", got '" + text.get() + "'");
        }
        return w;
    }

    private static Double ratio(Args args) {
        Optional<String> text = args.value("update-max-failure-ratio");
        if (text.isEmpty()) {
            return null;
        }
        try {
            double r = Double.parseDouble(text.get().trim());
            if (r >= 0 && r <= 1) {
                return r;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException("--update-max-failure-ratio must be a number in 0..1, e.g. 0.2, got '"
                + text.get() + "'");
    }
}
