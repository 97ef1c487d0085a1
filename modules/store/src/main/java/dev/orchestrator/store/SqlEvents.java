package dev.orchestrator.store;

import dev.orchestrator.api.Event;
import dev.orchestrator.store.internal.EventMapper;
import java.util.List;
import java.util.Objects;

/** {@link EventRecords} on the {@code events} table. */
final class SqlEvents implements EventRecords {
    /** The id the current write on this thread appended last, 0 if none; {@link Store} takes it at commit. */
    private static final ThreadLocal<long[]> APPENDED = ThreadLocal.withInitial(() -> new long[1]);

    /** @return the id appended on this thread since the last call, or 0; clears it */
    static long takeAppended() {
        long[] h = APPENDED.get();
        long id = h[0];
        h[0] = 0;
        return id;
    }

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
            long id = m.lastInsertId();
            APPENDED.get()[0] = id; // the store tells followers once this write commits
            return id;
        });
    }

    @Override
    public List<Event> query(EventQuery query) {
        Objects.requireNonNull(query, "query");
        return read(query).stream().map(Numbered::event).toList();
    }

    @Override
    public List<Numbered> read(EventQuery query) {
        Objects.requireNonNull(query, "query");
        return access.read("read events", session -> session.getMapper(EventMapper.class).query(query).stream()
                .map(r -> new Numbered(r.id(), r.event())).toList());
    }

    @Override
    public int pruneBefore(java.time.Instant before) {
        Objects.requireNonNull(before, "before");
        return access.write("prune old events", session -> session.getMapper(EventMapper.class).pruneBefore(before));
    }

    @Override
    public int prune(int keepNewest) {
        Checks.nonNegative("keep_newest", keepNewest);
        return access.write("prune events", session -> session.getMapper(EventMapper.class).prune(keepNewest));
    }
}
