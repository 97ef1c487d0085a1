package dev.orchestrator.cli;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The node options {@code server} and {@code agent} share (capacity overrides, labels, the
 * runtime and load balancer plugins), and the help that maps every flag to its file key and
 * environment variable.
 */
final class NodeFlags {
    /**
     * @param c the configuration
     * @return the bounds of the containers' output the node keeps
     */
    static dev.orchestrator.node.LogRetention logs(Configuration c) {
        var d = dev.orchestrator.node.LogRetention.DEFAULT;
        long size = c.size(Settings.NODE_CONTAINER_LOGS_MAX_SIZE, "container-logs-max-size");
        return new dev.orchestrator.node.LogRetention(size == 0 ? d.maxBytes() : size,
                c.duration(Settings.NODE_CONTAINER_LOGS_MAX_AGE, "container-logs-max-age", d.maxAge()));
    }

    /** The default load balancer plugin. */
    static final String DEFAULT_LOAD_BALANCER = "tcp";

    /** Their help lines. */
    static final String HELP = """
              --cpus N                 CPUs this node offers to the scheduler (default: what Docker reports)
              --memory SIZE            memory it offers, e.g. 2g (default: what Docker reports)
              --label KEY=VALUE        a node label for constraints such as node.labels.disk==ssd (repeatable;
                                       given labels replace those of the environment or the file)
              --ingress-address IP     address published service ports listen on (default 0.0.0.0)
              --runtime NAME           the container runtime driver plugin (default: the highest-weight
                                       one, docker)
              --load-balancer NAME     the load balancer plugin of published ports (default tcp)
              --container-logs-max-size SIZE
                                       the containers' output this node keeps per service, crashed and
                                       replaced ones' too (default 50m, at least 64k)
              --container-logs-max-age DURATION
                                       nor older than this (default 168h)
              --config FILE            the config file (default: $ORCHESTRATOR_CONFIG, else
                                       <install>/conf/orchestrator.yaml if present)
            """;

    /** The node flags with their settings. */
    static final List<Flag> FLAGS = List.of(new Flag("cpus", Settings.NODE_CPUS),
            new Flag("memory", Settings.NODE_MEMORY), new Flag("label", Settings.LABELS),
            new Flag("ingress-address", Settings.NODE_INGRESS_ADDRESS), new Flag("runtime", Settings.NODE_RUNTIME),
            new Flag("load-balancer", Settings.NODE_LOAD_BALANCER),
            new Flag("container-logs-max-size", Settings.NODE_CONTAINER_LOGS_MAX_SIZE),
            new Flag("container-logs-max-age", Settings.NODE_CONTAINER_LOGS_MAX_AGE));

    /**
     * A flag and the setting it sets.
     *
     * @param name    the flag without dashes
     * @param setting the setting
     */
    record Flag(String name, Setting setting) {
    }

    private NodeFlags() {
    }

    /**
     * @param flags a command's flags
     * @return the help section listing each one's file key and environment variables
     */
    static String keysHelp(List<Flag> flags) {
        String rows = flags.stream()
                .map(f -> String.format("  %-24s %-24s %s", "--" + f.name(), f.setting().key(),
                        String.join(", ", f.setting().envNames())).stripTrailing())
                .collect(Collectors.joining("\n"));
        return """

                Each option can also be set in the config file (YAML) or in the environment; a flag wins
                over the environment, which wins over the file, which wins over the default. Plugin
                settings go in the file under plugins.KIND.NAME (e.g. plugins.load-balancer.tcp.
                connect-timeout). See docs/configuration.md.

                  OPTION                   FILE KEY                 ENVIRONMENT
                """ + rows + "\n";
    }
}
