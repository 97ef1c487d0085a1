package dev.orchestrator.store;

import java.util.Optional;

/** The nodes' own credentials. See {@link StoreTx} for threading, blocking and failures. */
public interface NodeCredentialRecords {
    /**
     * Stores a node's credential, replacing the one it had (a node that joins again gets a new one).
     *
     * @param credential the credential
     */
    void put(NodeCredential credential);

    /**
     * @param node a node
     * @return its credential, or empty
     */
    Optional<NodeCredential> get(String node);

    /**
     * @param node a node
     * @return false if it had none
     */
    boolean delete(String node);
}
