package dev.orchestrator.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Remembers, for a short time, the join tokens found valid, so a node's reports every second
 * do not each cost a store look-up. Keyed by a digest, so the tokens themselves are not kept.
 * Only successes are remembered: a wrong token is looked up every time. Thread-safe; bounded.
 */
final class VerifiedTokens {
    static final int LIMIT = 10_000;
    private final long ttlNanos;
    private final Map<String, Long> validUntil = new ConcurrentHashMap<>();

    VerifiedTokens(Duration ttl) {
        this.ttlNanos = ttl.toNanos();
    }

    /**
     * @param token  the presented token
     * @param lookUp the real check, run when the token was not found valid recently
     * @return true if the token is valid
     */
    boolean valid(String token, BooleanSupplier lookUp) {
        String key = digest(token);
        long now = System.nanoTime();
        Long until = validUntil.get(key);
        if (until != null && now - until < 0) {
            return true;
        }
        if (!lookUp.getAsBoolean()) {
            validUntil.remove(key);
            return false;
        }
        if (!validUntil.containsKey(key) && validUntil.size() >= LIMIT) {
            validUntil.values().removeIf(t -> now - t >= 0);
            if (validUntil.size() >= LIMIT) {
                return true; // valid, but not remembered: the map stays bounded
            }
        }
        validUntil.put(key, now + ttlNanos);
        return true;
    }

    /** @return the tokens remembered */
    int size() {
        return validUntil.size();
    }

    private static String digest(String token) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
