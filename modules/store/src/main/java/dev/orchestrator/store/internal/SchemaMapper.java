package dev.orchestrator.store.internal;

import java.time.Instant;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.SelectProvider;
import org.apache.ibatis.annotations.Update;
import org.apache.ibatis.annotations.UpdateProvider;

/** Schema bookkeeping for the migration runner, and pragma reads. */
public interface SchemaMapper {
    /** Creates the version table if missing; runs before any migration. */
    @Update("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY NOT NULL,"
            + " description TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT")
    void createVersionTable();

    /** @return the highest applied version, 0 for an empty database */
    @Select("SELECT COALESCE(MAX(version), 0) FROM schema_version")
    int currentVersion();

    /**
     * @param version     the version applied
     * @param description its description
     * @param appliedAt   when
     */
    @Insert("INSERT INTO schema_version (version, description, applied_at)"
            + " VALUES (#{version}, #{description}, #{appliedAt})")
    void recordVersion(@Param("version") int version, @Param("description") String description,
                       @Param("appliedAt") Instant appliedAt);

    /**
     * Runs one statement of a migration script. The text is run as given, not bound: only ever
     * pass the module's own scripts.
     *
     * @param sql one SQL statement
     */
    @UpdateProvider(type = SqlProviders.class, method = "verbatim")
    void execute(String sql);

    /**
     * @param name a pragma name
     * @return the pragma's value as text
     */
    @SelectProvider(type = SqlProviders.class, method = "pragma")
    String pragma(String name);
}
