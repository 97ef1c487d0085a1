package dev.orchestrator.cluster;

import dev.orchestrator.store.JoinToken;
import dev.orchestrator.store.StoreTx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Join tokens: {@code orc2.<pin>.<id>.<secret>}, where the pin is the cluster CA's
 * {@link CaPin} (so an agent verifies the server on first contact, as Swarm's and kubeadm's
 * join tokens let it), the id (6 bytes, hex) names the token and the secret is 32 random bytes
 * (base64url). Tokens of servers before the cluster CA, {@code orc1.<id>.<secret>}, carry no
 * pin and still verify. Only the SHA-256 of the secret is stored; a token is valid while its
 * row exists. Thread-safe.
 */
public final class JoinTokens {
    private static final Pattern FORM = Pattern.compile(
            "(?:orc1|orc2\\.([A-Za-z0-9_-]{43}))\\.([0-9a-f]{12})\\.([A-Za-z0-9_-]{43})");
    private static final SecureRandom RANDOM = new SecureRandom();

    private JoinTokens() {
    }

    /**
     * A token just made: the only time its secret is known.
     *
     * @param id        its id
     * @param token     the whole token, for the agent's {@code --token}
     * @param createdAt when it was made
     */
    public record Issued(String id, String token, Instant createdAt) {
        @Override
        public String toString() {
            return "Issued[id=" + id + "]"; // never the secret
        }
    }

    /**
     * Makes a token and stores its digest.
     *
     * @param store where tokens are kept
     * @param now   the time
     * @return the token
     */
    public static Issued issue(StoreTx store, Instant now) {
        return issue(store, now, null);
    }

    /**
     * Makes a token that pins the cluster's CA, and stores its digest.
     *
     * @param store where tokens are kept
     * @param now   the time
     * @param pin   the CA's {@link CaPin}, or null for a token without one (a server without TLS
     *              for its nodes)
     * @return the token
     */
    public static Issued issue(StoreTx store, Instant now, String pin) {
        byte[] id = new byte[6];
        byte[] secret = new byte[32];
        RANDOM.nextBytes(id);
        RANDOM.nextBytes(secret);
        String hexId = HexFormat.of().formatHex(id);
        String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        store.tokens().put(new JoinToken(hexId, sha256(encoded), now));
        String prefix = pin == null ? "orc1." : "orc2." + pin + ".";
        return new Issued(hexId, prefix + hexId + "." + encoded, now);
    }

    /**
     * @param store where tokens are kept
     * @param token what an agent presented, possibly null or garbage
     * @return the token's id if it is valid
     */
    public static Optional<String> verify(StoreTx store, String token) {
        if (token == null) {
            return Optional.empty();
        }
        var m = FORM.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(2);
        byte[] presented = sha256(m.group(3)).getBytes(StandardCharsets.US_ASCII);
        return store.tokens().get(id)
                .filter(t -> MessageDigest.isEqual(presented, t.secretSha256().getBytes(StandardCharsets.US_ASCII)))
                .map(JoinToken::id);
    }

    /**
     * @param token a token, possibly garbage
     * @return the CA pin it carries, if it is a well-formed token with one
     */
    public static Optional<String> pin(String token) {
        if (token == null) {
            return Optional.empty();
        }
        var m = FORM.matcher(token);
        return m.matches() ? Optional.ofNullable(m.group(1)) : Optional.empty();
    }

    /**
     * @param token a token, possibly garbage
     * @return true if it has the form of a join token (valid or not)
     */
    public static boolean wellFormed(String token) {
        return token != null && FORM.matcher(token).matches();
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
