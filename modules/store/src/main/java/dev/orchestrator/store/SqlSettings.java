package dev.orchestrator.store;

import dev.orchestrator.store.internal.SettingMapper;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/** {@link SettingRecords} on the {@code settings} table. */
final class SqlSettings implements SettingRecords {
    private final Access access;
    private final Clock clock;

    SqlSettings(Access access, Clock clock) {
        this.access = access;
        this.clock = clock;
    }

    @Override
    public Optional<String> get(String key) {
        Objects.requireNonNull(key, "key");
        return access.read("read setting '" + key + "'", session -> session.getMapper(SettingMapper.class).find(key));
    }

    @Override
    public void put(String key, String value) {
        Checks.name("setting key", key);
        Objects.requireNonNull(value, "value");
        access.run("put setting '" + key + "'",
                session -> session.getMapper(SettingMapper.class).upsert(key, value, clock.instant()));
    }
}
