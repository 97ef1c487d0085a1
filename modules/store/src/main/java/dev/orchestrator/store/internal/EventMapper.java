package dev.orchestrator.store.internal;

import dev.orchestrator.api.Event;
import dev.orchestrator.store.EventQuery;
import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.SelectProvider;

/** The {@code events} table. Order is append order ({@code id}), never the caller's timestamps. */
public interface EventMapper {
    /** @param e the event to append */
    @Insert("INSERT INTO events (ts, type, service, container, message, node)"
            + " VALUES (#{timestamp}, #{type}, #{service}, #{container}, #{message}, #{node})")
    void insert(Event e);

    /** @return the id of the row this connection inserted last */
    @Select("SELECT last_insert_rowid()")
    long lastInsertId();

    /**
     * The events {@code q} selects (see {@link EventQuery}), oldest first, with their ids.
     *
     * @param q the filter
     * @return the rows
     */
    @SelectProvider(type = SqlProviders.class, method = "events")
    List<EventRow> query(EventQuery q);

    /**
     * Deletes the events older than {@code before}.
     *
     * @param before an instant
     * @return rows deleted
     */
    @Delete("DELETE FROM events WHERE ts < #{before}")
    int pruneBefore(Instant before);

    /**
     * Deletes all but the newest {@code keep} events.
     *
     * @param keep how many to keep
     * @return rows deleted
     */
    @Delete("DELETE FROM events WHERE id <= (SELECT id FROM events ORDER BY id DESC LIMIT 1 OFFSET #{keep})")
    int prune(int keep);
}
