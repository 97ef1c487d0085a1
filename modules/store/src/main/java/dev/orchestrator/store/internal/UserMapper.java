package dev.orchestrator.store.internal;

import java.time.Instant;
import java.util.Optional;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The {@code users} table. */
public interface UserMapper {
    /**
     * @param name         the user name
     * @param passwordHash the encoded hash
     * @param now          creation or update time
     */
    @Insert("INSERT INTO users (name, password_hash, created_at, updated_at)"
            + " VALUES (#{name}, #{passwordHash}, #{now}, #{now})"
            + " ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,"
            + " updated_at = excluded.updated_at")
    void upsert(@Param("name") String name, @Param("passwordHash") String passwordHash, @Param("now") Instant now);

    /**
     * @param name the user name
     * @return the encoded hash
     */
    @Select("SELECT password_hash FROM users WHERE name = #{name}")
    Optional<String> passwordHash(String name);

    /** @return whether any user exists */
    @Select("SELECT EXISTS (SELECT 1 FROM users)")
    boolean any();
}
