package dev.orchestrator.scheduler;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A placement constraint, Docker Swarm's syntax: {@code <attribute>==<value>} or
 * {@code <attribute>!=<value>}, spaces around the operator allowed. Attributes:
 * <ul>
 *   <li>{@code node.name} (and its alias {@code node.id}: a node's name is its id here);</li>
 *   <li>{@code node.labels.<key>}: a node without that label fails {@code ==} and passes
 *       {@code !=}.</li>
 * </ul>
 * Values match exactly (case-sensitive). Immutable and thread-safe.
 */
public final class Constraint {
    private static final String NAME = "node.name";
    private static final String ID = "node.id";
    private static final String LABELS = "node.labels.";
    private static final Pattern SYNTAX = Pattern.compile("\\s*([^\\s=!]+)\\s*(==|!=)\\s*([^\\s=!]+)\\s*");
    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]*[A-Za-z0-9])?");
    private static final String EXPECTED = "expected node.name, node.id or node.labels.<key>, then == or !=, then a value,"
            + " e.g. node.labels.disk==ssd";

    private final String text;
    private final String labelKey;
    private final boolean equal;
    private final String value;
    private final Optional<String> rejection;

    private Constraint(String attribute, String labelKey, boolean equal, String value) {
        this.text = attribute + (equal ? "==" : "!=") + value;
        this.labelKey = labelKey;
        this.equal = equal;
        this.value = value;
        this.rejection = Optional.of("constraint not met: " + text);
    }

    /**
     * Parses one constraint.
     *
     * @param text the constraint, e.g. {@code node.labels.zone!=b}
     * @return the constraint
     * @throws OrchestratorException {@link ErrorCode#INVALID_ARGUMENT} naming the constraint and what was expected
     */
    public static Constraint parse(String text) {
        return parse("constraint", text);
    }

    /**
     * Parses every constraint up front, so a typo fails the request before any node is looked at.
     *
     * @param texts the constraints, e.g. a service's {@code constraints}
     * @return the parsed constraints, in order
     * @throws OrchestratorException {@link ErrorCode#INVALID_ARGUMENT} naming the first bad constraint
     *                               ({@code constraints[1] 'node.labels.disk=ssd' is not valid: ...})
     */
    public static List<Constraint> parseAll(List<String> texts) {
        Objects.requireNonNull(texts, "constraints");
        var parsed = new ArrayList<Constraint>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            parsed.add(parse("constraints[" + i + "]", texts.get(i)));
        }
        return List.copyOf(parsed);
    }

    private static Constraint parse(String field, String text) {
        if (text == null || text.isBlank()) {
            throw invalid(field + " must not be empty; " + EXPECTED);
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw invalid(field + " '" + text + "' is not valid: " + EXPECTED);
        }
        String attribute = m.group(1);
        boolean equal = m.group(2).equals("==");
        String value = m.group(3);
        if (attribute.equals(NAME) || attribute.equals(ID)) {
            return new Constraint(attribute, null, equal, value);
        }
        if (attribute.startsWith(LABELS) && LABEL_KEY.matcher(attribute.substring(LABELS.length())).matches()) {
            return new Constraint(attribute, attribute.substring(LABELS.length()), equal, value);
        }
        throw invalid(field + " '" + text + "' is not valid: unknown attribute '" + attribute + "'; " + EXPECTED);
    }

    private static OrchestratorException invalid(String message) {
        return new OrchestratorException(ErrorCode.INVALID_ARGUMENT, message);
    }

    /**
     * @param node a node
     * @return true if the node satisfies this constraint
     */
    public boolean test(NodeState node) {
        String actual = labelKey == null ? node.name() : node.labels().get(labelKey);
        return value.equals(actual) == equal;
    }

    /** The filter's reason when this constraint rejects a node: a constant, so it is not rebuilt per node. */
    Optional<String> rejection() {
        return rejection;
    }

    /** @return the constraint in canonical form, without spaces, e.g. {@code node.labels.disk==ssd} */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Constraint c && c.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
