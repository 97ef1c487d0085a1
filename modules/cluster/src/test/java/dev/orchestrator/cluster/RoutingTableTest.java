package dev.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private static final Protocol.Backend WEB0 = new Protocol.Backend("web", 80, "tcp", "web-0", "10.0.0.1", 30080);
    private static final Protocol.Backend WEB1 = new Protocol.Backend("web", 80, "tcp", "web-1", "10.0.0.2", 30080);
    private static final Protocol.Backend DNS1 = new Protocol.Backend("dns", 53, "udp", "dns-1", "10.0.0.2", 30053);

    @Test
    void anUpdateSaysWhetherItChangedTheTable() {
        var table = new RoutingTable();

        assertFalse(table.update("n1", List.of()), "no backends, as before");
        assertTrue(table.update("n1", List.of(WEB0)));
        assertFalse(table.update("n1", List.of(WEB0)), "the same again");
        assertTrue(table.update("n1", List.of(WEB0, DNS1)));
        assertTrue(table.update("n1", List.of(DNS1)), "a report replaces the node's backends");
        assertTrue(table.update("n1", List.of()));
        assertFalse(table.update("n1", List.of()));

        assertEquals(Map.of("n1", List.of()), table.snapshot());
    }

    @Test
    void exceptGivesEveryOtherNodesBackends() {
        var table = new RoutingTable();
        table.update("n1", List.of(WEB0));
        table.update("n2", List.of(WEB1, DNS1));

        assertEquals(Set.of(WEB1, DNS1), Set.copyOf(table.except("n1")));
        assertEquals(2, table.except("n1").size());
        assertEquals(List.of(WEB0), table.except("n2"));
        assertEquals(Set.of(WEB0, WEB1, DNS1), Set.copyOf(table.except("n3")));
        assertEquals(3, table.except("n3").size());
    }

    @Test
    void removingANodeSaysWhetherItHadBackends() {
        var table = new RoutingTable();
        table.update("n1", List.of(WEB0));
        table.update("n2", List.of());

        assertTrue(table.remove("n1"));
        assertFalse(table.remove("n1"), "already gone");
        assertFalse(table.remove("n2"), "it had none");
        assertFalse(table.remove("n3"), "never known");
        assertEquals(Map.of(), table.snapshot());
        assertEquals(List.of(), table.except("n9"));
    }

    @Test
    void theTableKeepsCopiesAndGivesCopies() {
        var table = new RoutingTable();
        var mine = new ArrayList<>(List.of(WEB0));
        table.update("n1", mine);
        Map<String, List<Protocol.Backend>> snapshot = table.snapshot();

        mine.add(WEB1);
        table.update("n2", List.of(DNS1));

        assertEquals(Map.of("n1", List.of(WEB0)), snapshot, "a snapshot does not follow later updates");
        assertEquals(List.of(WEB0), table.snapshot().get("n1"), "the caller's list is copied");
        assertThrows(UnsupportedOperationException.class, () -> snapshot.put("n3", List.of()));
        assertThrows(UnsupportedOperationException.class, () -> table.snapshot().get("n1").add(WEB1));
    }
}
