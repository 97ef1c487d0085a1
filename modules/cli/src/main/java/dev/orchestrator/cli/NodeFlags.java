package dev.orchestrator.cli;

import dev.orchestrator.api.Validation;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The node options {@code server} and {@code agent} share: capacity overrides and labels. */
final class NodeFlags {
    /** Their help lines. */
    static final String HELP = """
              --cpus N                 CPUs this node offers to the scheduler (default: what Docker reports)
              --memory SIZE            memory it offers, e.g. 2g (default: what Docker reports)
              --label KEY=VALUE        a node label for constraints such as node.labels.disk==ssd (repeatable)
              --ingress-address IP     address published service ports listen on (default 0.0.0.0)
            """;

    private NodeFlags() {
    }

    static int cpus(Args args) {
        int cpus = args.intValue("cpus", 0);
        if (cpus < 0 || cpus > 4096) {
            throw new CliException("--cpus must be between 1 and 4096, got " + cpus);
        }
        return cpus;
    }

    static long memory(Args args) {
        return args.value("memory").map(v -> Validation.size("--memory", v)).orElse(0L);
    }

    static Map<String, String> labels(Args args) {
        var labels = new LinkedHashMap<String, String>();
        for (String l : args.values("label")) {
            int eq = l.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--label must be KEY=VALUE, got '" + l + "'");
            }
            labels.put(Validation.dnsLabel("--label key", l.substring(0, eq)), l.substring(eq + 1));
        }
        return labels;
    }

    static Duration duration(Args args, String name, Duration fallback) {
        return args.value(name).map(v -> Validation.duration("--" + name, v)).orElse(fallback);
    }
}
