package dev.orchestrator.store.internal;

import dev.orchestrator.store.JoinToken;
import java.util.List;
import java.util.Optional;
import org.apache.ibatis.annotations.Delete;
import org.apache.ibatis.annotations.Insert;
import org.apache.ibatis.annotations.Select;

/** The {@code join_tokens} table. */
public interface JoinTokenMapper {
    /** @param t a new token */
    @Insert("INSERT INTO join_tokens (id, secret_sha256, created_at) VALUES (#{id}, #{secretSha256}, #{createdAt})")
    void insert(JoinToken t);

    /**
     * @param id a token id
     * @return the token
     */
    @Select("SELECT id, secret_sha256, created_at FROM join_tokens WHERE id = #{id}")
    Optional<JoinToken> find(String id);

    /** @return every token, oldest first */
    @Select("SELECT id, secret_sha256, created_at FROM join_tokens ORDER BY created_at, id")
    List<JoinToken> findAll();

    /**
     * @param id a token id
     * @return rows deleted
     */
    @Delete("DELETE FROM join_tokens WHERE id = #{id}")
    int delete(String id);
}
