package dev.orchestrator.store;

import dev.orchestrator.api.Event;
import dev.orchestrator.store.internal.EventMapper;
import java.util.List;
import java.util.Objects;

/** {@link EventRecords} on the {@code events} table. */
final class SqlEvents implements EventRecords {
    private final Access access;

    SqlEvents(Access access) {
        this.access = access;
    }

    @Override
    public long append(Event event) {
        Objects.requireNonNull(event, "event");
        return access.write("append event", session -> {
            EventMapper m = session.getMapper(EventMapper.class);
            m.insert(event);
            return m.lastInsertId();
        });
    }

    @Override
    public List<Event> query(EventQuery query) {
        Objects.requireNonNull(query, "query");
        return access.read("read events", session -> List.copyOf(session.getMapper(EventMapper.class).query(query)));
    }

    @Override
    public int prune(int keepNewest) {
        Checks.nonNegative("keep_newest", keepNewest);
        return access.write("prune events", session -> session.getMapper(EventMapper.class).prune(keepNewest));
    }
}
