package dev.orchestrator.cluster;

import dev.orchestrator.store.NodeCredential;
import dev.orchestrator.store.StoreTx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Each node's own credential, {@code orn1.<secret>} (32 random bytes, base64url), issued when
 * it joins with a join token and presented by it instead from then on (as a Nomad client
 * presents its node secret). Only the SHA-256 of the secret is stored; removing the node
 * deletes it, which revokes the credential. Thread-safe.
 */
public final class NodeCredentials {
    private static final Pattern FORM = Pattern.compile("orn1\\.[A-Za-z0-9_-]{43}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeCredentials() {
    }

    /**
     * Makes a node's credential and stores its digest, replacing the one it had.
     *
     * @param store where credentials are kept
     * @param node  the node
     * @param now   the time
     * @return the credential: the only time its secret is known
     */
    public static String issue(StoreTx store, String node, Instant now) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String credential = "orn1." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        store.credentials().put(new NodeCredential(node, JoinTokens.sha256(credential), now));
        return credential;
    }

    /**
     * @param presented what a request presented, possibly garbage
     * @return true if it has a node credential's form (so it is not a join token)
     */
    public static boolean looksLikeOne(String presented) {
        return presented != null && FORM.matcher(presented).matches();
    }

    /**
     * @param store     where credentials are kept
     * @param node      the node the request claims to be, possibly null
     * @param presented what it presented
     * @return true if it is that node's current credential
     */
    public static boolean verify(StoreTx store, String node, String presented) {
        if (node == null || !looksLikeOne(presented)) {
            return false;
        }
        byte[] digest = JoinTokens.sha256(presented).getBytes(StandardCharsets.US_ASCII);
        return store.credentials().get(node)
                .filter(c -> MessageDigest.isEqual(digest, c.secretSha256().getBytes(StandardCharsets.US_ASCII)))
                .isPresent();
    }
}
