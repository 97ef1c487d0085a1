package dev.orchestrator.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConstraintTest {
    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "node.labels.disk==ssd       | node.labels.disk==ssd",
            "  node.labels.disk == ssd   | node.labels.disk==ssd",
            "node.labels.zone!=b         | node.labels.zone!=b",
            "node.name==n1               | node.name==n1",
            "node.id!=node-2             | node.id!=node-2",
            "node.labels.k8s.io/arch==x86_64 | node.labels.k8s.io/arch==x86_64",
            "node.labels.rack==r-1.2     | node.labels.rack==r-1.2"})
    void parsesToCanonicalForm(String text, String canonical) {
        assertEquals(canonical, Constraint.parse(text).toString());
        assertEquals(Constraint.parse(canonical), Constraint.parse(text));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"node.labels.disk=ssd", "node.labels.disk", "disk==ssd", "node.role==manager",
            "node.labels.==ssd", "node.labels.disk==", "==ssd", "node.labels.disk===ssd", "node.labels.disk==s s",
            "node.labels.-x==1", "node.labels.disk<>ssd"})
    void refusesMalformedConstraintsNamingThem(String text) {
        OrchestratorException e = assertThrows(OrchestratorException.class, () -> Constraint.parse(text));

        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'" + text + "' is not valid"), e.getMessage());
        assertTrue(e.getMessage().contains("e.g. node.labels.disk==ssd"), e.getMessage());
    }

    @Test
    void parseAllNamesTheIndexOfTheFirstBadOne() {
        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> Constraint.parseAll(List.of("node.labels.disk==ssd", "node.role==manager", "x")));

        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().startsWith("constraints[1] 'node.role==manager' is not valid: unknown attribute"
                + " 'node.role'"), e.getMessage());
    }

    @Test
    void emptyOrNullIsRefused() {
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(OrchestratorException.class, () -> Constraint.parse(" ")).code());
        assertEquals(ErrorCode.INVALID_ARGUMENT,
                assertThrows(OrchestratorException.class, () -> Constraint.parseAll(Arrays.asList((String) null))).code());
    }

    @Test
    void requestValidatesConstraintsUpFront() {
        Request request = Request.of("api", 0, 0, 0);

        OrchestratorException e = assertThrows(OrchestratorException.class,
                () -> request.withConstraints(List.of("node.labels.disk=ssd")));

        assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        assertTrue(e.getMessage().contains("'node.labels.disk=ssd'"), e.getMessage());
    }
}
