package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.sql.SQLException;

/** Turns MyBatis and JDBC failures into {@link OrchestratorException}s that name the operation. */
final class Failures {
    // SQLite's primary result codes (the low byte of an extended code).
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_FULL = 13;

    private Failures() {
    }

    /**
     * @param operation what was being done, e.g. {@code put service 'web'}; never a secret
     * @param failure   what MyBatis or the driver threw
     * @return an error naming the operation and SQLite's reason: {@code STORE_UNAVAILABLE} when
     *         the disk is full or another process holds the lock past the busy timeout (the
     *         operator can fix either, and the request may be retried), else {@code INTERNAL}. Its
     *         cause is the driver's {@link SQLException} when there is one: MyBatis's own
     *         exception text quotes the SQL, which has no values but is noise to a user.
     */
    static OrchestratorException internal(String operation, Exception failure) {
        SQLException sql = findSql(failure);
        String reason = sql == null ? "" : ": " + firstLine(sql.getMessage());
        String hint = sql == null ? null : hint(sql.getErrorCode() & 0xff);
        if (hint != null) {
            return new OrchestratorException(ErrorCode.STORE_UNAVAILABLE, "state store: " + operation
                    + " failed, " + hint + reason, sql);
        }
        return new OrchestratorException(ErrorCode.INTERNAL, "state store: " + operation + " failed" + reason,
                sql == null ? failure : sql);
    }

    /** @return what the operator can do about a result code, or null when it is a bug or corruption */
    private static String hint(int primaryCode) {
        return switch (primaryCode) {
            case SQLITE_FULL -> "the data directory's disk is full: free space, then retry";
            case SQLITE_BUSY, SQLITE_LOCKED -> "another process holds the database's lock (waited "
                    + Store.BUSY_TIMEOUT_MILLIS + " ms): end it, then retry";
            default -> null;
        };
    }

    private static SQLException findSql(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s) {
                return s;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
