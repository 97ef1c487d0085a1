package dev.orchestrator.store.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;
import org.apache.ibatis.annotations.Update;

/** The {@code services} table. */
public interface ServiceMapper {
    /** Columns in {@link ServiceRow} order. */
    String COLUMNS = "name, spec_json, replicas, revision, created_at, updated_at";

    /**
     * @param name a service name
     * @return its row
     */
    @Select("SELECT " + COLUMNS + " FROM services WHERE name = #{name}")
    Optional<ServiceRow> find(String name);

    /** @return every row, by name */
    @Select("SELECT " + COLUMNS + " FROM services ORDER BY name")
    List<ServiceRow> findAll();

    /**
     * @param name a service name
     * @return whether it exists
     */
    @Select("SELECT EXISTS (SELECT 1 FROM services WHERE name = #{name})")
    boolean exists(String name);

    /** @param row a new row */
    @Insert("INSERT INTO services (" + COLUMNS + ") VALUES (#{name}, #{specJson}, #{replicas}, #{revision},"
            + " #{createdAt}, #{updatedAt})")
    void insert(ServiceRow row);

    /**
     * Overwrites spec, replicas, revision and update time; keeps the creation time.
     *
     * @param row the new values
     * @return rows changed
     */
    @Update("UPDATE services SET spec_json = #{specJson}, replicas = #{replicas}, revision = #{revision},"
            + " updated_at = #{updatedAt} WHERE name = #{name}")
    int update(ServiceRow row);

    /**
     * @param name      a service name
     * @param replicas  the new count
     * @param updatedAt now
     * @return rows changed
     */
    @Update("UPDATE services SET replicas = #{replicas}, updated_at = #{updatedAt} WHERE name = #{name}")
    int updateReplicas(@Param("name") String name, @Param("replicas") int replicas,
                       @Param("updatedAt") Instant updatedAt);

    /**
     * @param name a service name
     * @return the highest revision it ever had, also after a deletion; 0 if none
     */
    @Select("SELECT COALESCE(MAX(revision), 0) FROM service_revisions WHERE name = #{name}")
    long lastRevision(String name);

    /**
     * @param name a service name
     * @return its recorded revisions, newest first
     */
    @Select("SELECT name, revision, spec_json, created_at FROM service_revisions WHERE name = #{name}"
            + " ORDER BY revision DESC")
    List<RevisionRow> revisions(String name);

    /**
     * Records a revision's spec.
     *
     * @param name      the service
     * @param revision  the revision
     * @param specJson  its spec
     * @param createdAt now
     */
    @Insert("INSERT OR REPLACE INTO service_revisions (name, revision, spec_json, created_at)"
            + " VALUES (#{name}, #{revision}, #{specJson}, #{createdAt})")
    void insertRevision(@Param("name") String name, @Param("revision") long revision,
                        @Param("specJson") String specJson, @Param("createdAt") Instant createdAt);

    /**
     * Keeps a service's newest {@code keep} revisions.
     *
     * @param name a service name
     * @param keep how many, at least 1 (the newest stays: it numbers the next)
     * @return rows deleted
     */
    @Delete("DELETE FROM service_revisions WHERE name = #{name} AND revision <= "
            + "(SELECT MAX(revision) FROM service_revisions WHERE name = #{name}) - #{keep}")
    int trimRevisions(@Param("name") String name, @Param("keep") int keep);

    /**
     * Deletes a service; its replicas go with it ({@code ON DELETE CASCADE}).
     *
     * @param name a service name
     * @return rows deleted
     */
    @Delete("DELETE FROM services WHERE name = #{name}")
    int delete(String name);
}
