package dev.orchestrator.store;

import dev.orchestrator.api.OrchestratorException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashing for API users: PBKDF2 with HMAC-SHA256, a 16-byte random salt and
 * {@value #ITERATIONS} iterations, encoded as
 * {@code pbkdf2-sha256$<iterations>$<base64 salt>$<base64 hash>} (standard Base64, no padding).
 * The iteration count travels with each hash, so it can be raised later without breaking the
 * hashes already stored.
 *
 * <p>Thread-safe; both methods are CPU-bound on purpose (a hash or a verification takes tens
 * to hundreds of milliseconds): a caller that checks credentials on every request should
 * cache successful verifications rather than lower the cost. The caller keeps ownership of the
 * {@code char[]} it passes and should wipe it; the copies made here are wiped.
 */
public final class Passwords {
    /**
     * Iterations for new hashes: OWASP's Password Storage Cheat Sheet (2023) advises 600,000 for
     * PBKDF2-HMAC-SHA256. About 0.2 s of one core per derivation here, which is why callers
     * remember successful checks. Each stored hash carries its own count, so older hashes (the
     * 210,000 of earlier releases) keep verifying, and {@link #needsRehash} tells a caller that
     * holds the password to replace them.
     */
    public static final int ITERATIONS = 600_000;

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    // Bounds on what verify() accepts from a stored string, so a tampered row cannot make it spin.
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private Passwords() {
    }

    /**
     * Hashes a password with a fresh salt; two calls with one password give different strings.
     *
     * @param password the password, not empty; not modified
     * @return the encoded hash
     * @throws OrchestratorException {@code INVALID_ARGUMENT} if the password is null or empty
     */
    public static String hash(char[] password) {
        if (password == null || password.length == 0) {
            throw OrchestratorException.invalid("password must not be empty");
        }
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, ITERATIONS, HASH_BYTES);
        try {
            return SCHEME + "$" + ITERATIONS + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(hash);
        } finally {
            Arrays.fill(hash, (byte) 0);
        }
    }

    /**
     * Checks a password against an encoded hash, comparing in constant time.
     *
     * @param password the candidate password; not modified
     * @param encoded  a string made by {@link #hash}
     * @return true if they match; false for a wrong password, an empty or null password, and a
     *         null, malformed or foreign {@code encoded} string (never throws for bad input)
     */
    public static boolean verify(char[] password, String encoded) {
        if (password == null || password.length == 0) {
            return false;
        }
        Parsed p = parse(encoded);
        if (p == null) {
            return false;
        }
        byte[] actual = derive(password, p.salt, p.iterations, HASH_BYTES);
        try {
            return MessageDigest.isEqual(actual, p.hash);
        } finally {
            Arrays.fill(actual, (byte) 0);
        }
    }

    /**
     * @param encoded a stored hash
     * @return true if it was made with fewer iterations than new hashes get (or does not parse):
     *         whoever has just verified the password should hash it again
     */
    public static boolean needsRehash(String encoded) {
        Parsed p = parse(encoded);
        return p == null || p.iterations < ITERATIONS;
    }

    /** @return whether {@code s} has the shape of an encoded hash (cheap; does not derive anything) */
    static boolean looksEncoded(String s) {
        return parse(s) != null;
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        if (encoded == null) {
            return null;
        }
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME) || !parts[1].matches("[1-9][0-9]{0,8}")) {
            return null;
        }
        int iterations = Integer.parseInt(parts[1]);
        if (iterations > MAX_ITERATIONS) {
            return null;
        }
        try {
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            // Exact lengths: PBKDF2's shorter outputs are prefixes of its longer ones, so a
            // truncated hash would verify.
            if (salt.length != SALT_BYTES || hash.length != HASH_BYTES) {
                return null;
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        var spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            // Every Java SE runtime has PBKDF2WithHmacSHA256 (java.base, SunJCE).
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        } finally {
            spec.clearPassword();
        }
    }
}
