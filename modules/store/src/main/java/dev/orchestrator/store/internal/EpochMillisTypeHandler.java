package dev.orchestrator.store.internal;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * Stores an {@link Instant} as INTEGER milliseconds since the epoch (UTC). Replaces MyBatis's
 * default, which goes through {@code java.sql.Timestamp} and the driver's date settings.
 */
public final class EpochMillisTypeHandler extends BaseTypeHandler<Instant> {
    /** Creates the handler; register one instance per configuration. */
    public EpochMillisTypeHandler() {
    }

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, Instant parameter, JdbcType jdbcType)
            throws SQLException {
        ps.setLong(i, parameter.toEpochMilli());
    }

    @Override
    public Instant getNullableResult(ResultSet rs, String columnName) throws SQLException {
        long millis = rs.getLong(columnName);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public Instant getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        long millis = rs.getLong(columnIndex);
        return rs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }

    @Override
    public Instant getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        long millis = cs.getLong(columnIndex);
        return cs.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
