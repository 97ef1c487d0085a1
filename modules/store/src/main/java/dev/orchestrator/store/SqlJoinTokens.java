package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.JoinTokenMapper;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@link JoinTokenRecords} on the {@code join_tokens} table. */
final class SqlJoinTokens implements JoinTokenRecords {
    private final Access access;

    SqlJoinTokens(Access access) {
        this.access = access;
    }

    @Override
    public void put(JoinToken token) {
        Objects.requireNonNull(token, "token");
        access.run("put join token " + token.id(), session -> {
            JoinTokenMapper m = session.getMapper(JoinTokenMapper.class);
            if (m.find(token.id()).isPresent()) {
                throw new OrchestratorException(ErrorCode.CONFLICT, "join token " + token.id() + " exists");
            }
            m.insert(token);
        });
    }

    @Override
    public Optional<JoinToken> get(String id) {
        Objects.requireNonNull(id, "id");
        return access.read("read join token", session -> session.getMapper(JoinTokenMapper.class).find(id));
    }

    @Override
    public List<JoinToken> all() {
        return access.read("list join tokens", session -> session.getMapper(JoinTokenMapper.class).findAll());
    }

    @Override
    public boolean delete(String id) {
        Objects.requireNonNull(id, "id");
        return access.write("delete join token " + id,
                session -> session.getMapper(JoinTokenMapper.class).delete(id) == 1);
    }
}
