package dev.orchestrator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.cluster.Protocol;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The host plan a node derives from its view, and the rules it loads, without touching the host. */
class HostNetworkTest {
    private static final Protocol.Desired VIEW = new Protocol.Desired(1, "c", List.of(), List.of(), List.of(),
            List.of(new Protocol.Subnet("default", "a", "10.210.0.0/24", "10.77.0.11"),
                    new Protocol.Subnet("default", "b", "10.210.1.0/24", "10.77.0.12"),
                    new Protocol.Subnet("backend", "b", "10.210.2.0/24", "10.77.0.12"),
                    new Protocol.Subnet("default", "local", "10.210.3.0/24", "127.0.0.1")),
            List.of(new Protocol.Entry("web", "10.211.0.2", List.of("default"), List.of(8080), "round-robin"),
                    new Protocol.Entry("db", "10.211.0.3", List.of("backend"), List.of(5432), "round-robin")),
            "10.211.0.1");

    private static NodeNetwork on(String node) {
        return new NodeNetwork(node, "c", null, new HostNetwork(new HostCommands()), () -> null, null, null, List::of,
                "internal");
    }

    @Test
    void routesGoThroughTheNodesThatHoldTheSubnetsNeverThroughLoopback() {
        HostNetwork.Plan plan = on("a").plan(VIEW);
        assertEquals(Map.of("10.210.1.0/24", "10.77.0.12", "10.210.2.0/24", "10.77.0.12"), plan.routes());
        assertEquals(Set.of("10.211.0.1", "10.211.0.2", "10.211.0.3"), plan.addresses());
    }

    @Test
    void aLocalSubnetAcceptsItsNetworksOtherSubnetsAndThePeersOnly() {
        HostNetwork.Plan plan = on("b").plan(VIEW);
        assertEquals(Set.of("10.210.0.0/24", "10.210.3.0/24", "10.77.0.11"), plan.forwards().get("10.210.1.0/24"));
        assertEquals(Set.of("10.77.0.11"), plan.forwards().get("10.210.2.0/24"), "backend exists only on b");
        assertEquals(Set.of("10.210.2.0/24"), plan.vips().get("10.211.0.3"));
        assertEquals(Set.of("10.210.0.0/24", "10.210.1.0/24", "10.210.3.0/24"), plan.vips().get("10.211.0.2"));
    }

    @Test
    void rulesResetEveryChainAndRefuseOtherSourcesAtAStableAddress() {
        String text = HostNetwork.ruleText(on("b").plan(VIEW));
        assertTrue(text.startsWith("*filter\n:ORCH-FORWARD - [0:0]\n:ORCH-INPUT - [0:0]\n"), text);
        assertTrue(text.contains("-A ORCH-FORWARD -d 10.210.1.0/24 -m conntrack --ctstate RELATED,ESTABLISHED,DNAT"
                + " -j RETURN\n-A ORCH-FORWARD -s 10.210.0.0/24 -d 10.210.1.0/24 -j ACCEPT\n"), text);
        assertTrue(text.contains("-A ORCH-FORWARD -s 10.210.2.0/24 -d 10.210.1.0/24 -j RETURN\n"
                + "-A ORCH-FORWARD -d 10.210.1.0/24 -j DROP\n"), text);
        assertTrue(text.contains("-A ORCH-INPUT -i lo -d 10.211.0.3/32 -j ACCEPT\n"
                + "-A ORCH-INPUT -s 10.210.2.0/24 -d 10.211.0.3/32 -j ACCEPT\n"
                + "-A ORCH-INPUT -d 10.211.0.3/32 -p tcp -j REJECT --reject-with tcp-reset\n"), text);
        assertTrue(text.contains("*nat\n:ORCH-POSTROUTING - [0:0]\n-A ORCH-POSTROUTING -s 10.210.1.0/24 -d"), text);
        assertTrue(text.endsWith("COMMIT\n"), text);
    }

    @Test
    void applyRunsTheToolsAndClearRemovesWhatItMade() {
        var calls = new ArrayList<String>();
        HostCommands fake = new HostCommands() {
            @Override
            Result run(List<String> argv, String input) {
                calls.add(String.join(" ", argv));
                boolean exists = argv.contains("show") || argv.contains("-C") || argv.contains("-L");
                return new Result(argv.contains("-D") || exists && !argv.contains("-C") ? 1 : 0, "");
            }
        };
        var host = new HostNetwork(fake);
        assertTrue(host.apply(on("a").plan(VIEW)));
        assertTrue(calls.contains("ip -4 route replace 10.210.1.0/24 via 10.77.0.12 proto 211"), calls.toString());
        assertTrue(calls.contains("ip addr add 10.211.0.2/32 dev orch0"), calls.toString());
        assertTrue(calls.contains("iptables-restore -w 5 --noflush"), calls.toString());
        calls.clear();
        host.clear();
        assertTrue(calls.contains("ip link del orch0") && calls.contains("ip -4 route flush proto 211"),
                calls.toString());
    }

    @Test
    void aViewThatChangesNothingOrOneAddressRunsNoMoreThanThatAddress() {
        var calls = new ArrayList<String>();
        HostCommands fake = new HostCommands() {
            @Override
            Result run(List<String> argv, String input) {
                calls.add(String.join(" ", argv));
                return new Result(argv.contains("-D") ? 1 : 0, "");
            }
        };
        var host = new HostNetwork(fake);
        HostNetwork.Plan plan = on("a").plan(VIEW);
        assertTrue(host.apply(plan));
        calls.clear();

        assertTrue(host.apply(plan));
        assertEquals(List.of(), calls, "nothing changed: no tool runs");

        var more = new java.util.TreeSet<>(plan.addresses());
        more.add("10.211.0.99");
        var next = new HostNetwork.Plan(more, plan.routes(), plan.forwards(), plan.vips(), plan.managed(),
                plan.keepSource());
        assertTrue(host.apply(next));
        assertEquals(List.of("ip addr add 10.211.0.99/32 dev orch0"), calls);

        calls.clear();
        host.recheck(); // e.g. Docker made a bridge: the whole host is checked again
        assertTrue(host.apply(next));
        assertTrue(calls.contains("ip link show orch0") && calls.stream().anyMatch(c -> c.startsWith("iptables -w")),
                calls.toString());
    }
}
