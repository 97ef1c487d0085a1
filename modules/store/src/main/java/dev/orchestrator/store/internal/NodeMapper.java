package dev.orchestrator.store.internal;

import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;

/** The {@code nodes} table. */
public interface NodeMapper {
    /** Columns in {@link NodeRow} order. */
    String COLUMNS = "name, address, labels_json, cpus, memory_bytes, status, availability, runtime_version,"
            + " last_heartbeat";

    /** @param row the node to insert or overwrite */
    @Insert("INSERT INTO nodes (" + COLUMNS + ") VALUES (#{name}, #{address}, #{labelsJson}, #{cpus},"
            + " #{memoryBytes}, #{status}, #{availability}, #{runtimeVersion}, #{lastHeartbeat})"
            + " ON CONFLICT (name) DO UPDATE SET address = excluded.address, labels_json = excluded.labels_json,"
            + " cpus = excluded.cpus, memory_bytes = excluded.memory_bytes, status = excluded.status,"
            + " availability = excluded.availability,"
            + " runtime_version = excluded.runtime_version, last_heartbeat = excluded.last_heartbeat")
    void upsert(NodeRow row);

    /**
     * @param name a node name
     * @return its row
     */
    @Select("SELECT " + COLUMNS + " FROM nodes WHERE name = #{name}")
    Optional<NodeRow> find(String name);

    /** @return every node by name */
    @Select("SELECT " + COLUMNS + " FROM nodes ORDER BY name")
    List<NodeRow> findAll();

    /**
     * @param name a node name
     * @return rows deleted
     */
    @Delete("DELETE FROM nodes WHERE name = #{name}")
    int delete(String name);
}
