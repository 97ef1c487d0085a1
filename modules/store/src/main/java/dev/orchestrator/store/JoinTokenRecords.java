package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.util.List;
import java.util.Optional;

/** The join tokens. See {@link StoreTx} for threading, blocking and failures. */
public interface JoinTokenRecords {
    /**
     * @param token a new token
     * @throws OrchestratorException {@code CONFLICT} if its id exists
     */
    void put(JoinToken token);

    /**
     * @param id a token id
     * @return the token, or empty
     */
    Optional<JoinToken> get(String id);

    /** @return every token, oldest first */
    List<JoinToken> all();

    /**
     * @param id a token id
     * @return false if there was none
     */
    boolean delete(String id);
}
