package dev.orchestrator.store.internal;

import java.time.Instant;
import java.util.Optional;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The {@code settings} table. */
public interface SettingMapper {
    /**
     * @param key a key
     * @return its value
     */
    @Select("SELECT value FROM settings WHERE key = #{key}")
    Optional<String> find(String key);

    /**
     * @param key   a key
     * @param value its new value
     * @param now   the update time
     */
    @Insert("INSERT INTO settings (key, value, updated_at) VALUES (#{key}, #{value}, #{now})"
            + " ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at")
    void upsert(@Param("key") String key, @Param("value") String value, @Param("now") Instant now);
}
