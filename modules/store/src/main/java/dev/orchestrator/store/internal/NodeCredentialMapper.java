package dev.orchestrator.store.internal;

import dev.orchestrator.store.NodeCredential;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;

/** The {@code node_credentials} table. */
public interface NodeCredentialMapper {
    /** @param c a credential, replacing the node's */
    @Insert("INSERT INTO node_credentials (node, secret_sha256, issued_at) VALUES (#{node}, #{secretSha256}, #{issuedAt})"
            + " ON CONFLICT (node) DO UPDATE SET secret_sha256 = excluded.secret_sha256, issued_at = excluded.issued_at")
    void upsert(NodeCredential c);

    /**
     * @param node a node
     * @return its credential
     */
    @Select("SELECT node, secret_sha256, issued_at FROM node_credentials WHERE node = #{node}")
    Optional<NodeCredential> find(String node);

    /**
     * @param node a node
     * @return rows deleted
     */
    @Delete("DELETE FROM node_credentials WHERE node = #{node}")
    int delete(String node);
}
