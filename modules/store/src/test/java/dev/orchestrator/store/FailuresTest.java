package dev.orchestrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.ibatis.exceptions.PersistenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which driver failures an operator can resolve (503) and which are bugs or corruption (500). */
class FailuresTest {
    @TempDir
    Path dir;

    @Test
    void aFullDiskIsStoreUnavailableNamingTheOperation() throws Exception {
        SQLException full = driverFailure("PRAGMA max_page_count = 2",
                "CREATE TABLE t (x BLOB)", "INSERT INTO t VALUES (zeroblob(100000))");
        OrchestratorException e = Failures.internal("put service 'web'", new PersistenceException(full));
        assertEquals(ErrorCode.STORE_UNAVAILABLE, e.code(), e::toString);
        assertTrue(e.getMessage().startsWith("state store: put service 'web' failed, the data directory's disk is"
                + " full"), e.getMessage());
        assertEquals(full, e.getCause());
    }

    @Test
    void aSyntaxErrorStaysInternal() throws Exception {
        SQLException bad = driverFailure("SELEKT 1");
        OrchestratorException e = Failures.internal("read x", new PersistenceException(bad));
        assertEquals(ErrorCode.INTERNAL, e.code(), e::toString);
        assertEquals(ErrorCode.Category.INTERNAL, e.code().category());
    }

    @Test
    void aFailureWithoutADriverExceptionStaysInternal() {
        OrchestratorException e = Failures.internal("read x", new PersistenceException("no connection"));
        assertEquals(ErrorCode.INTERNAL, e.code());
    }

    /** The driver's own exception for the last statement (a real SQLite failure, not a made-up one). */
    private SQLException driverFailure(String... statements) throws SQLException {
        try (Connection c = Fixtures.jdbc(dir); Statement s = c.createStatement()) {
            for (int i = 0; i < statements.length - 1; i++) {
                s.execute(statements[i]);
            }
            return assertThrows(SQLException.class, () -> s.execute(statements[statements.length - 1]));
        }
    }
}
