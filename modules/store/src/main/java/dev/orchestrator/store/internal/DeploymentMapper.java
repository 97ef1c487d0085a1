package dev.orchestrator.store.internal;

import dev.orchestrator.store.Deployment;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;

/** The {@code deployments} table. */
public interface DeploymentMapper {
    /** Columns in {@link Deployment} order. */
    String COLUMNS = "service, revision, from_revision, status, rollback, message, started_at, updated_at";

    /** @param d a service's deployment, replacing the one it had */
    @Insert("INSERT INTO deployments (" + COLUMNS + ") VALUES (#{service}, #{revision}, #{fromRevision}, #{status},"
            + " #{rollback}, #{message}, #{startedAt}, #{updatedAt}) ON CONFLICT (service) DO UPDATE SET"
            + " revision = excluded.revision, from_revision = excluded.from_revision, status = excluded.status,"
            + " rollback = excluded.rollback, message = excluded.message, started_at = excluded.started_at,"
            + " updated_at = excluded.updated_at")
    void upsert(Deployment d);

    /**
     * @param service a service name
     * @return its deployment
     */
    @Select("SELECT " + COLUMNS + " FROM deployments WHERE service = #{service}")
    Optional<Deployment> find(String service);

    /** @return every deployment, by service */
    @Select("SELECT " + COLUMNS + " FROM deployments ORDER BY service")
    List<Deployment> findAll();
}
