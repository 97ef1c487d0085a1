package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.sql.SQLException;

/** Turns MyBatis and JDBC failures into {@link OrchestratorException}s that name the operation. */
final class Failures {
    private Failures() {
    }

    /**
     * @param operation what was being done, e.g. {@code put service 'web'}; never a secret
     * @param failure   what MyBatis or the driver threw
     * @return an {@code INTERNAL} error naming the operation and SQLite's reason. Its cause is
     *         the driver's {@link SQLException} when there is one: MyBatis's own exception
     *         text quotes the SQL, which has no values but is noise to a user.
     */
    static OrchestratorException internal(String operation, Exception failure) {
        SQLException sql = findSql(failure);
        String reason = sql == null ? "" : ": " + firstLine(sql.getMessage());
        return new OrchestratorException(ErrorCode.INTERNAL, "state store: " + operation + " failed" + reason,
                sql == null ? failure : sql);
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
