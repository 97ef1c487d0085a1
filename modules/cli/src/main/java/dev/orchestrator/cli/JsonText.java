package dev.orchestrator.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.PrettyPrinter;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;

/**
 * The server's JSON as text, for {@code -o json}: re-indented or put on one line token by token,
 * never bound to a record, so that what is printed is what the server sent (its field order,
 * and fields a newer server adds that the wire records do not know).
 */
final class JsonText {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonText() {
    }

    /**
     * @param json one JSON value, as the server sent it
     * @return it indented as {@code jq} does: two spaces, {@code "key": value}, {@code []} when empty
     */
    static String pretty(String json) {
        return copy(json, prettyPrinter());
    }

    /**
     * @param json one JSON value, as the server sent it
     * @return it on one line, without spaces
     */
    static String compact(String json) {
        return copy(json, null);
    }

    private static String copy(String json, PrettyPrinter printer) {
        var out = new StringWriter();
        try (JsonParser p = FACTORY.createParser(json); JsonGenerator g = FACTORY.createGenerator(out)) {
            if (printer != null) {
                g.setPrettyPrinter(printer);
            }
            if (p.nextToken() != null) {
                g.copyCurrentStructure(p);
            }
        } catch (IOException e) {
            // Only JSON already read into its record comes here.
            throw new IllegalStateException("cannot copy JSON", e);
        }
        return out.toString();
    }

    /** A new one each time: a pretty printer keeps the nesting of the value it writes. */
    private static DefaultPrettyPrinter prettyPrinter() {
        var indent = new DefaultIndenter("  ", "\n");
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""))
                .withObjectIndenter(indent)
                .withArrayIndenter(indent);
    }
}
