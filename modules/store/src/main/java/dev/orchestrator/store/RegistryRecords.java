package dev.orchestrator.store;

import java.util.List;
import java.util.Optional;

/**
 * Registry credentials, one per registry host. Passwords are encrypted at rest (AES-256-GCM,
 * the host as associated data, under a key kept in the data directory); rows are decrypted on
 * read. See {@link StoreTx} for threading, blocking and failures.
 */
public interface RegistryRecords {
    /**
     * Sets a host's credentials, replacing those it had. Idempotent.
     *
     * @param credential the credentials, password in the clear
     */
    void put(RegistryCredential credential);

    /**
     * @param host a registry host
     * @return its credentials, decrypted, or empty
     */
    Optional<RegistryCredential> get(String host);

    /** @return every host's credentials, decrypted, ordered by host */
    List<RegistryCredential> all();

    /**
     * @param host a registry host
     * @return false if it had none
     */
    boolean delete(String host);
}
