package dev.orchestrator.store.internal;

import dev.orchestrator.store.EventQuery;
import java.util.regex.Pattern;

/**
 * SQL built in Java for the few statements whose text varies. MyBatis calls these through
 * {@code @SelectProvider}/{@code @UpdateProvider} and binds the {@code #{...}} placeholders as
 * usual.
 *
 * <p>Why not MyBatis's dynamic SQL ({@code <script>}, {@code <if>}, {@code ${...}})? It evaluates
 * expressions with MyBatis's embedded OGNL, which needs {@code java.beans}, i.e. the
 * {@code java.desktop} module, in the runtime image. Every statement of this module is plain
 * text with {@code #{...}} placeholders, which MyBatis handles without OGNL.
 */
public final class SqlProviders {
    private static final Pattern PRAGMA = Pattern.compile("[a-z_]{1,40}");

    private SqlProviders() {
    }

    /**
     * @param sql one statement of a migration script: the module's own text, never user input;
     *            must not contain {@code ${}
     * @return the statement itself
     */
    public static String verbatim(String sql) {
        return sql;
    }

    /**
     * @param name a pragma name
     * @return a statement reading it
     */
    public static String pragma(String name) {
        if (!PRAGMA.matcher(name).matches()) {
            throw new IllegalArgumentException("not a pragma name: " + name);
        }
        return "PRAGMA " + name;
    }

    /**
     * The newest {@code q.limit()} matching events, oldest first, in {@code Event} column order.
     *
     * @param q the filter
     * @return the statement
     */
    public static String events(EventQuery q) {
        var where = new StringBuilder();
        if (q.service() != null) {
            where.append(" AND service = #{service}");
        }
        if (q.type() != null) {
            where.append(" AND type = #{type}");
        }
        if (q.node() != null) {
            where.append(" AND node = #{node}");
        }
        if (q.since() != null) {
            where.append(" AND ts >= #{since}");
        }
        if (q.afterId() > 0) {
            return "SELECT id, ts, type, service, container, message, node FROM events WHERE id > #{afterId}"
                    + where + " ORDER BY id LIMIT #{limit}";
        }
        String filter = where.isEmpty() ? "" : " WHERE" + where.substring(4);
        return "SELECT id, ts, type, service, container, message, node FROM ("
                + "SELECT id, ts, type, service, container, message, node FROM events" + filter
                + " ORDER BY id DESC LIMIT #{limit}) ORDER BY id";
    }
}
