package dev.orchestrator.store.internal;

import dev.orchestrator.store.ReplicaRecord;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The {@code replicas} table. */
public interface ReplicaMapper {
    /** Columns in {@link ReplicaRecord} order. */
    String COLUMNS = "service, idx, node, container_id, container_name, revision, state, health, restart_count,"
            + " last_exit_code, host_port, message, updated_at";

    /** @param r the replica to insert or overwrite */
    @Insert("INSERT INTO replicas (" + COLUMNS + ") VALUES (#{service}, #{index}, #{node}, #{containerId},"
            + " #{containerName}, #{revision}, #{state}, #{health}, #{restartCount}, #{lastExitCode}, #{hostPort},"
            + " #{message}, #{updatedAt})"
            + " ON CONFLICT (service, idx) DO UPDATE SET node = excluded.node, container_id = excluded.container_id,"
            + " container_name = excluded.container_name, revision = excluded.revision, state = excluded.state,"
            + " health = excluded.health, restart_count = excluded.restart_count,"
            + " last_exit_code = excluded.last_exit_code, host_port = excluded.host_port,"
            + " message = excluded.message, updated_at = excluded.updated_at")
    void upsert(ReplicaRecord r);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return the replica
     */
    @Select("SELECT " + COLUMNS + " FROM replicas WHERE service = #{service} AND idx = #{index}")
    Optional<ReplicaRecord> find(@Param("service") String service, @Param("index") int index);

    /**
     * @param service a service name
     * @return its replicas by index
     */
    @Select("SELECT " + COLUMNS + " FROM replicas WHERE service = #{service} ORDER BY idx")
    List<ReplicaRecord> findByService(String service);

    /** @return every replica by service, then index */
    @Select("SELECT " + COLUMNS + " FROM replicas ORDER BY service, idx")
    List<ReplicaRecord> findAll();

    /**
     * @param service a service name
     * @param index   a replica index
     * @return rows deleted
     */
    @Delete("DELETE FROM replicas WHERE service = #{service} AND idx = #{index}")
    int delete(@Param("service") String service, @Param("index") int index);

    /**
     * @param service a service name
     * @return rows deleted
     */
    @Delete("DELETE FROM replicas WHERE service = #{service}")
    int deleteByService(String service);
}
