package dev.orchestrator.store.internal;

import java.sql.CallableStatement;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.function.Function;
import org.apache.ibatis.type.BaseTypeHandler;
import org.apache.ibatis.type.JdbcType;

/**
 * Stores an enum as its lower-case wire word (e.g. {@code running}), the word the schema has
 * always held. Replaces MyBatis's default, which stores {@link Enum#name()}. A word the enum
 * does not know fails the read, through the given parser.
 *
 * @param <E> the enum
 */
public final class WireWordTypeHandler<E extends Enum<E>> extends BaseTypeHandler<E> {
    private final Function<E, String> word;
    private final Function<String, E> parse;

    /**
     * @param word  the enum's wire word, e.g. {@code ReplicaState::wireName}
     * @param parse its parser, refusing unknown words
     */
    public WireWordTypeHandler(Function<E, String> word, Function<String, E> parse) {
        this.word = Objects.requireNonNull(word, "word");
        this.parse = Objects.requireNonNull(parse, "parse");
    }

    @Override
    public void setNonNullParameter(PreparedStatement ps, int i, E parameter, JdbcType jdbcType)
            throws SQLException {
        ps.setString(i, word.apply(parameter));
    }

    @Override
    public E getNullableResult(ResultSet rs, String columnName) throws SQLException {
        return of(rs.getString(columnName));
    }

    @Override
    public E getNullableResult(ResultSet rs, int columnIndex) throws SQLException {
        return of(rs.getString(columnIndex));
    }

    @Override
    public E getNullableResult(CallableStatement cs, int columnIndex) throws SQLException {
        return of(cs.getString(columnIndex));
    }

    private E of(String text) {
        return text == null ? null : parse.apply(text);
    }
}
