package dev.orchestrator.node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a node's host needs for managed networks, set up and removed by the node itself (a
 * node is a stock machine): the {@value #DEVICE} dummy interface (a bridge without ports on
 * kernels without the dummy module) holding the node's DNS
 * address and the services' stable addresses, a route to every other node's subnets through
 * that node (as flannel's host-gw does: the nodes share a link), and firewall rules.
 *
 * <p>Firewall rules live in the node's own chains, rewritten whole with one
 * {@code iptables-restore --noflush} per change and jumped to from the stock chains:
 * <ul>
 *   <li>{@code ORCH-FORWARD} (from Docker's {@code DOCKER-USER}, which drops nothing itself but
 *   comes before Docker's rules that drop forwarded traffic into a bridge): traffic into a
 *   local subnet of network N is accepted from the other nodes' subnets of N and from the
 *   other nodes' addresses (their load balancers); anything else goes on to Docker's rules.</li>
 *   <li>{@code ORCH-INPUT} (from {@code INPUT}): a service's stable address accepts
 *   connections from its networks' subnets and from the host, and resets all others.</li>
 *   <li>{@code ORCH-POSTROUTING} (nat, first in {@code POSTROUTING}): traffic from a local
 *   subnet to another node's subnet keeps its source address (Docker would masquerade it),
 *   so that the receiving node can tell its network.</li>
 * </ul>
 *
 * <p>Not thread-safe: one caller at a time (the node's network worker). Blocking.
 */
final class HostNetwork {
    static final String DEVICE = "orch0";
    /** Routes the node made carry this protocol number, so it finds them again after a crash. */
    static final String ROUTE_PROTO = "211";
    private static final System.Logger LOG = System.getLogger(HostNetwork.class.getName());
    private final HostCommands sh;
    /** A full check of the host (interface, routes, rule order) at least this often. */
    private static final long FULL_EVERY_NANOS = 30_000_000_000L;
    private String lastRules;
    private String problem;
    /** The plan last applied without problems, and when the host was last checked whole. */
    private Plan applied;
    private long fullAt;
    private volatile boolean recheck = true; // set from any thread

    /**
     * What the host should have.
     *
     * @param addresses   addresses for the dummy interface (DNS and services)
     * @param routes      remote subnet to the node address it is reached through
     * @param forwards    per local subnet, the sources accepted into it
     * @param vips        per stable address, the subnets it accepts connections from (and the
     *                    host itself); connections from anywhere else are refused
     * @param managed     every managed subnet
     * @param keepSource  pairs of local subnet and remote subnet, source address kept
     */
    record Plan(Set<String> addresses, Map<String, String> routes, Map<String, Set<String>> forwards,
                Map<String, Set<String>> vips, Set<String> managed, Map<String, Set<String>> keepSource) {
    }

    HostNetwork(HostCommands sh) {
        this.sh = sh;
    }

    /**
     * Brings the host to the plan. Failures are logged once per distinct problem, never thrown:
     * containers keep working on their own node without it.
     *
     * @param plan what the host should have
     * @return true if everything was applied
     */
    boolean apply(Plan plan) {
        var problems = new ArrayList<String>();
        long now = System.nanoTime();
        boolean full = recheck || applied == null || now - fullAt > FULL_EVERY_NANOS;
        if (full) {
            device(plan.addresses(), problems);
            routes(plan.routes(), problems);
            rules(plan, problems, true);
        } else {
            // Most views differ from the last by a service's address or nothing: every `ip` and
            // `iptables` run costs a fork and 2-10 ms of a core, beside the containers being made.
            addresses(applied.addresses(), plan.addresses(), problems);
            if (!plan.routes().equals(applied.routes())) {
                routes(plan.routes(), problems);
            }
            rules(plan, problems, false);
        }
        String text = problems.isEmpty() ? null : String.join("; ", problems);
        if (text != null && !text.equals(problem)) {
            LOG.log(System.Logger.Level.WARNING, "host networking incomplete: " + text);
        }
        problem = text;
        applied = problems.isEmpty() ? plan : null;
        if (full && problems.isEmpty()) {
            fullAt = now;
            recheck = false;
        }
        return problems.isEmpty();
    }

    /**
     * The next {@link #apply} checks the whole host again, e.g. after Docker made a bridge (it
     * puts its own rules first).
     */
    void recheck() {
        recheck = true;
    }

    private void addresses(Set<String> before, Set<String> wanted, List<String> problems) {
        for (String a : wanted) {
            if (!before.contains(a)) {
                var r = sh.run("ip", "addr", "add", a + "/32", "dev", DEVICE);
                if (!r.ok() && !r.output().contains("File exists")) {
                    problems.add("cannot add " + a + " to " + DEVICE + ": " + r.output());
                }
            }
        }
        for (String a : before) {
            if (!wanted.contains(a)) {
                sh.run("ip", "addr", "del", a + "/32", "dev", DEVICE);
            }
        }
    }

    /** Removes the interface, the routes and the rules. Idempotent. */
    void clear() {
        for (String[] jump : jumps()) {
            // From FORWARD too: where the jump went while Docker had no DOCKER-USER chain.
            for (String from : jump[1].equals("DOCKER-USER") ? List.of("DOCKER-USER", "FORWARD") : List.of(jump[1])) {
                while (sh.run(iptables(jump[0], "-D", from, "-j", jump[2])).ok()) {
                    // a jump added twice (two nodes on one host) goes too
                }
            }
            sh.run(iptables(jump[0], "-F", jump[2]));
            sh.run(iptables(jump[0], "-X", jump[2]));
        }
        sh.run("ip", "-4", "route", "flush", "proto", ROUTE_PROTO);
        sh.run("ip", "link", "del", DEVICE);
        lastRules = null;
        applied = null;
    }

    private void device(Set<String> addresses, List<String> problems) {
        if (!sh.run("ip", "link", "show", DEVICE).ok()) {
            var r = sh.run("ip", "link", "add", DEVICE, "type", "dummy");
            if (!r.ok()) {
                // A kernel without the dummy module: a bridge with no ports holds addresses as well.
                r = sh.run("ip", "link", "add", DEVICE, "type", "bridge");
            }
            if (!r.ok()) {
                problems.add("cannot add interface " + DEVICE + ": " + r.output());
                return;
            }
        }
        sh.run("ip", "link", "set", DEVICE, "up");
        Set<String> have = new HashSet<>();
        for (String line : sh.run("ip", "-4", "-o", "addr", "show", "dev", DEVICE).output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("inet")) {
                    have.add(f[i + 1].replace("/32", ""));
                }
            }
        }
        for (String a : addresses) {
            if (!have.contains(a)) {
                var r = sh.run("ip", "addr", "add", a + "/32", "dev", DEVICE);
                if (!r.ok() && !r.output().contains("File exists")) {
                    problems.add("cannot add " + a + " to " + DEVICE + ": " + r.output());
                }
            }
        }
        for (String a : have) {
            if (!addresses.contains(a)) {
                sh.run("ip", "addr", "del", a + "/32", "dev", DEVICE);
            }
        }
    }

    private void routes(Map<String, String> wanted, List<String> problems) {
        Map<String, String> have = new TreeMap<>();
        for (String line : sh.run("ip", "-4", "route", "show", "proto", ROUTE_PROTO).output().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("via")) {
                have.put(f[0], f[2]);
            }
        }
        wanted.forEach((subnet, via) -> {
            if (!via.equals(have.get(subnet))) {
                var r = sh.run("ip", "-4", "route", "replace", subnet, "via", via, "proto", ROUTE_PROTO);
                if (!r.ok()) {
                    problems.add("cannot route " + subnet + " via " + via + ": " + r.output());
                }
            }
        });
        have.keySet().stream().filter(s -> !wanted.containsKey(s))
                .forEach(s -> sh.run("ip", "-4", "route", "del", s, "proto", ROUTE_PROTO));
    }

    /** @param jumps also check that the stock chains jump to ours first */
    private void rules(Plan plan, List<String> problems, boolean jumps) {
        String text = ruleText(plan);
        if (!text.equals(lastRules)) {
            var r = sh.run(List.of("iptables-restore", "-w", "5", "--noflush"), text);
            if (!r.ok()) {
                problems.add("cannot load firewall rules: " + r.output());
                return;
            }
            lastRules = text;
        }
        if (!jumps) {
            return;
        }
        for (String[] jump : jumps()) {
            String from = jump[1];
            if (from.equals("DOCKER-USER") && !sh.run(iptables("filter", "-n", "-L", "DOCKER-USER")).ok()) {
                from = "FORWARD"; // Docker without its own rules: nothing drops, but keep ours first
            }
            first(jump[0], from, jump[2], problems);
        }
    }

    /**
     * Keeps the jump to our chain the first rule of {@code from}: Docker inserts its own rules
     * at the top (a new network's MASQUERADE goes first in POSTROUTING), and ours must see
     * the traffic before they do.
     */
    private void first(String table, String from, String chain, List<String> problems) {
        String jump = "-A " + from + " -j " + chain;
        List<String> rules = sh.run(iptables(table, "-S", from)).output().lines()
                .filter(l -> l.startsWith("-A ")).toList();
        if (!rules.isEmpty() && rules.getFirst().equals(jump)) {
            return;
        }
        if (rules.contains(jump)) {
            while (sh.run(iptables(table, "-D", from, "-j", chain)).ok()) {
                // every copy goes (two nodes on one host may each have added one)
            }
        }
        var r = sh.run(iptables(table, "-I", from, "1", "-j", chain));
        if (!r.ok()) {
            problems.add("cannot jump from " + from + " to " + chain + ": " + r.output());
        }
    }

    /** The node's chains as iptables-restore reads them; declaring a chain empties it. */
    static String ruleText(Plan plan) {
        var sb = new StringBuilder("*filter\n:ORCH-FORWARD - [0:0]\n:ORCH-INPUT - [0:0]\n");
        plan.forwards().forEach((local, sources) -> {
            // Replies and published ports (DNAT) are Docker's to judge, so is traffic between
            // this node's own bridges; from elsewhere only the network's subnets and the
            // other nodes' load balancers get in. Docker drops the rest only when it set the
            // forward policy itself, which it does not on a host that already forwarded.
            sb.append("-A ORCH-FORWARD -d ").append(local)
                    .append(" -m conntrack --ctstate RELATED,ESTABLISHED,DNAT -j RETURN\n");
            sources.stream().sorted().forEach(src ->
                    sb.append("-A ORCH-FORWARD -s ").append(src).append(" -d ").append(local).append(" -j ACCEPT\n"));
            plan.forwards().keySet().forEach(mine ->
                    sb.append("-A ORCH-FORWARD -s ").append(mine).append(" -d ").append(local).append(" -j RETURN\n"));
            sb.append("-A ORCH-FORWARD -d ").append(local).append(" -j DROP\n");
        });
        plan.vips().forEach((vip, allowed) -> {
            // The host itself (through lo) and the service's networks; every other source is refused.
            sb.append("-A ORCH-INPUT -i lo -d ").append(vip).append("/32 -j ACCEPT\n");
            allowed.stream().sorted().forEach(src -> sb.append("-A ORCH-INPUT -s ").append(src).append(" -d ")
                    .append(vip).append("/32 -j ACCEPT\n"));
            sb.append("-A ORCH-INPUT -d ").append(vip).append("/32 -p tcp -j REJECT --reject-with tcp-reset\n");
        });
        sb.append("COMMIT\n*nat\n:ORCH-POSTROUTING - [0:0]\n");
        plan.keepSource().forEach((local, remotes) -> remotes.stream().sorted().forEach(r ->
                // ACCEPT, not RETURN: a RETURN would go on to Docker's MASQUERADE after the jump.
                sb.append("-A ORCH-POSTROUTING -s ").append(local).append(" -d ").append(r).append(" -j ACCEPT\n")));
        return sb.append("COMMIT\n").toString();
    }

    private static List<String[]> jumps() {
        return List.of(new String[] {"filter", "DOCKER-USER", "ORCH-FORWARD"},
                new String[] {"filter", "INPUT", "ORCH-INPUT"},
                new String[] {"nat", "POSTROUTING", "ORCH-POSTROUTING"});
    }

    private static List<String> iptables(String table, String... args) {
        var argv = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table));
        argv.addAll(List.of(args));
        return argv;
    }
}
