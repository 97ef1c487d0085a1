package dev.orchestrator.store.internal;

import dev.orchestrator.api.Role;
import dev.orchestrator.store.UserRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The {@code users} table. */
public interface UserMapper {
    /** Columns in {@link UserRecord} order. */
    String COLUMNS = "name, password_hash, role, created_at, updated_at";

    /**
     * Inserts an admin or replaces an existing user's hash (its role stays).
     *
     * @param name         the user name
     * @param passwordHash the encoded hash
     * @param now          creation or update time
     */
    @Insert("INSERT INTO users (name, password_hash, role, created_at, updated_at)"
            + " VALUES (#{name}, #{passwordHash}, 'ADMIN', #{now}, #{now})"
            + " ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,"
            + " updated_at = excluded.updated_at")
    void upsert(@Param("name") String name, @Param("passwordHash") String passwordHash, @Param("now") Instant now);

    /**
     * @param name         the user name
     * @param passwordHash the encoded hash
     * @param role         the role
     * @param now          creation time
     * @return 1 if inserted, 0 if the name exists
     */
    @Insert("INSERT INTO users (name, password_hash, role, created_at, updated_at)"
            + " VALUES (#{name}, #{passwordHash}, #{role}, #{now}, #{now}) ON CONFLICT (name) DO NOTHING")
    int insert(@Param("name") String name, @Param("passwordHash") String passwordHash, @Param("role") Role role,
               @Param("now") Instant now);

    /**
     * @param name         the user name
     * @param expected     the hash it must have
     * @param passwordHash the new hash
     * @param now          update time
     * @return rows changed
     */
    @Update("UPDATE users SET password_hash = #{passwordHash}, updated_at = #{now} WHERE name = #{name}"
            + " AND password_hash = #{expected}")
    int replacePassword(@Param("name") String name, @Param("expected") String expected,
                        @Param("passwordHash") String passwordHash, @Param("now") Instant now);

    /**
     * @param name         the user name
     * @param passwordHash the new hash
     * @param now          update time
     * @return rows changed
     */
    @Update("UPDATE users SET password_hash = #{passwordHash}, updated_at = #{now} WHERE name = #{name}")
    int setPassword(@Param("name") String name, @Param("passwordHash") String passwordHash,
                    @Param("now") Instant now);

    /**
     * @param name the user name
     * @param role the new role
     * @param now  update time
     * @return rows changed
     */
    @Update("UPDATE users SET role = #{role}, updated_at = #{now} WHERE name = #{name}")
    int setRole(@Param("name") String name, @Param("role") Role role, @Param("now") Instant now);

    /**
     * @param name the user name
     * @return rows deleted
     */
    @Delete("DELETE FROM users WHERE name = #{name}")
    int delete(String name);

    /**
     * @param name the user name
     * @return the user
     */
    @Select("SELECT " + COLUMNS + " FROM users WHERE name = #{name}")
    Optional<UserRecord> find(String name);

    /** @return every user, by name */
    @Select("SELECT " + COLUMNS + " FROM users ORDER BY name")
    List<UserRecord> findAll();

    /** @return how many admins there are */
    @Select("SELECT COUNT(*) FROM users WHERE role = 'ADMIN'")
    int admins();

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
