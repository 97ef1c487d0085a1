package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.store.internal.SqlProviders;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.apache.ibatis.mapping.MappedStatement;
import org.apache.ibatis.scripting.xmltags.DynamicSqlSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards the rule of the internal package: no MyBatis dynamic SQL, whose OGNL needs the
 * java.desktop module that the runtime image does not have.
 */
class MyBatisUsageTest {
    @Test
    void noStatementIsDynamic(@TempDir Path dir) {
        try (Store store = Store.open(dir)) {
            int count = 0;
            for (Object o : store.configuration().getMappedStatements()) {
                // The collection also holds ambiguity markers, which are not statements.
                if (o instanceof MappedStatement ms) {
                    assertFalse(ms.getSqlSource() instanceof DynamicSqlSource, ms.getId() + " is dynamic SQL");
                    count++;
                }
            }
            assertTrue(count > 20, "statements found: " + count);
        }
    }

    @Test
    void generatedAndScriptedSqlHasNoSubstitutions() throws IOException {
        EventQuery all = EventQuery.latest();
        for (EventQuery q : new EventQuery[] {all, all.withService("a"), all.withSince(Instant.EPOCH),
                all.withService("a").withSince(Instant.EPOCH)}) {
            assertFalse(SqlProviders.events(q).contains("${"), SqlProviders.events(q));
        }
        for (String name : Migrations.SCRIPTS) {
            try (InputStream in = Migrations.class.getResourceAsStream(Migrations.DIRECTORY + name)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                for (String statement : Migrations.statements(text)) {
                    assertFalse(statement.contains("${") || statement.contains("#{"), name + ": " + statement);
                }
            }
        }
    }
}
