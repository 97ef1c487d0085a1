package dev.orchestrator.store.internal;

import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;

/** The {@code registry_credentials} table. */
public interface RegistryMapper {
    /** @param r a host's credentials, replacing those it had */
    @Insert("INSERT INTO registry_credentials (host, username, secret, updated_at)"
            + " VALUES (#{host}, #{username}, #{secret}, #{updatedAt})"
            + " ON CONFLICT (host) DO UPDATE SET username = excluded.username, secret = excluded.secret,"
            + " updated_at = excluded.updated_at")
    void upsert(RegistryRow r);

    /**
     * @param host a registry host
     * @return its row
     */
    @Select("SELECT host, username, secret, updated_at FROM registry_credentials WHERE host = #{host}")
    Optional<RegistryRow> find(String host);

    /** @return every row, by host */
    @Select("SELECT host, username, secret, updated_at FROM registry_credentials ORDER BY host")
    List<RegistryRow> findAll();

    /**
     * @param host a registry host
     * @return rows deleted
     */
    @Delete("DELETE FROM registry_credentials WHERE host = #{host}")
    int delete(String host);
}
