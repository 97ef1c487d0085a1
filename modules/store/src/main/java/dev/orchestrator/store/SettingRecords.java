package dev.orchestrator.store;

import java.util.Optional;

/** Settings: small named values. See {@link StoreTx} for threading, blocking and failures. */
public interface SettingRecords {
    /**
     * @param key a setting key
     * @return its value, or empty if unset
     */
    Optional<String> get(String key);

    /**
     * @param key   a setting key: letters, digits, {@code . _ @ -}
     * @param value its value, not null
     */
    void put(String key, String value);
}
