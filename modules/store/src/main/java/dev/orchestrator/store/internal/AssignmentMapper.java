package dev.orchestrator.store.internal;

import dev.orchestrator.store.Assignment;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Param;
import org.apache.ibatis.annotations.Select;

/** The {@code assignments} table. */
public interface AssignmentMapper {
    /** Columns in {@link Assignment} order. */
    String COLUMNS = "service, idx, node, previous_node, assigned_at, revision";

    /** @param a the assignment to insert or overwrite */
    @Insert("INSERT INTO assignments (" + COLUMNS + ") VALUES (#{service}, #{index}, #{node}, #{previousNode},"
            + " #{assignedAt}, #{revision}) ON CONFLICT (service, idx) DO UPDATE SET node = excluded.node,"
            + " previous_node = excluded.previous_node, assigned_at = excluded.assigned_at,"
            + " revision = excluded.revision")
    void upsert(Assignment a);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return its assignment
     */
    @Select("SELECT " + COLUMNS + " FROM assignments WHERE service = #{service} AND idx = #{index}")
    Optional<Assignment> find(@Param("service") String service, @Param("index") int index);

    /** @return every assignment by service, then index */
    @Select("SELECT " + COLUMNS + " FROM assignments ORDER BY service, idx")
    List<Assignment> findAll();

    /**
     * @param node a node name
     * @return the assignments that run on or are still held by that node
     */
    @Select("SELECT " + COLUMNS + " FROM assignments WHERE node = #{node} OR previous_node = #{node}"
            + " ORDER BY service, idx")
    List<Assignment> findByNode(String node);

    /**
     * @param service a service name
     * @param index   a replica index
     * @return rows deleted
     */
    @Delete("DELETE FROM assignments WHERE service = #{service} AND idx = #{index}")
    int delete(@Param("service") String service, @Param("index") int index);

    /** @return rows deleted */
    @Delete("DELETE FROM assignments")
    int deleteAll();
}
