package dev.orchestrator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orchestrator.store.JoinToken;
import dev.orchestrator.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JoinTokensTest {
    @TempDir
    Path dir;
    private Store store;

    @BeforeEach
    void open() {
        store = Store.open(dir, new dev.orchestrator.testkit.ManualClock(Fixtures.T0));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void anIssuedTokenVerifiesToItsId() {
        JoinTokens.Issued issued = JoinTokens.issue(store, Fixtures.T0);

        assertTrue(issued.token().matches("orc1\\.[0-9a-f]{12}\\.[A-Za-z0-9_-]{43}"), issued.token());
        assertEquals("orc1." + issued.id() + ".", issued.token().substring(0, 18));
        assertEquals(Fixtures.T0, issued.createdAt());
        assertEquals(Optional.of(issued.id()), JoinTokens.verify(store, issued.token()));
        assertEquals(Fixtures.T0, store.tokens().get(issued.id()).orElseThrow().createdAt());
    }

    @Test
    void aTokenPinsTheClusterCaAndStillVerifies() {
        String pin = "p".repeat(40) + "_-A";
        JoinTokens.Issued issued = JoinTokens.issue(store, Fixtures.T0, pin);

        assertEquals("orc2." + pin + "." + issued.id() + ".", issued.token().substring(0, 62));
        assertEquals(Optional.of(pin), JoinTokens.pin(issued.token()));
        assertEquals(Optional.of(issued.id()), JoinTokens.verify(store, issued.token()));
        // Another pin in front of the same secret is still the same token: the server checks
        // the secret, the agent the pin.
        String other = issued.token().replace(pin, "q".repeat(43));
        assertEquals(Optional.of(issued.id()), JoinTokens.verify(store, other));
        assertEquals(Optional.empty(), JoinTokens.pin(JoinTokens.issue(store, Fixtures.T0).token()));
        assertEquals(Optional.empty(), JoinTokens.pin("orc2.short." + issued.id() + ".x"));
    }

    @Test
    void aNodeCredentialVerifiesOnlyForItsNodeUntilRevoked() {
        String credential = NodeCredentials.issue(store, "node-2", Fixtures.T0);

        assertTrue(credential.matches("orn1\\.[A-Za-z0-9_-]{43}"), credential);
        assertTrue(NodeCredentials.verify(store, "node-2", credential));
        assertFalse(NodeCredentials.verify(store, "node-3", credential));
        assertFalse(NodeCredentials.verify(store, null, credential));
        assertFalse(store.credentials().get("node-2").orElseThrow().toString().contains(credential.substring(5)));
        String again = NodeCredentials.issue(store, "node-2", Fixtures.T0);
        assertFalse(NodeCredentials.verify(store, "node-2", credential), "a new join replaces the credential");
        assertTrue(NodeCredentials.verify(store, "node-2", again));
        store.credentials().delete("node-2");
        assertFalse(NodeCredentials.verify(store, "node-2", again));
    }

    @Test
    void tokensAreDistinct() {
        JoinTokens.Issued a = JoinTokens.issue(store, Fixtures.T0);
        JoinTokens.Issued b = JoinTokens.issue(store, Fixtures.T0);

        assertNotEquals(a.id(), b.id());
        assertNotEquals(secret(a), secret(b));
        assertEquals(Optional.of(a.id()), JoinTokens.verify(store, a.token()));
        assertEquals(Optional.of(b.id()), JoinTokens.verify(store, b.token()));
        // One token's id with the other's secret is neither.
        assertEquals(Optional.empty(), JoinTokens.verify(store, "orc1." + a.id() + "." + secret(b)));
    }

    static Stream<Arguments> forgeries() {
        UnaryOperator<String> flipLast = t -> t.substring(0, t.length() - 1) + (t.endsWith("A") ? "B" : "A");
        UnaryOperator<String> otherId = t -> "orc1." + (t.charAt(5) == '0' ? "1" : "0") + t.substring(6);
        return Stream.of(
                Arguments.of("wrong secret", flipLast),
                Arguments.of("unknown id", otherId),
                Arguments.of("null", (UnaryOperator<String>) t -> null),
                Arguments.of("empty", (UnaryOperator<String>) t -> ""),
                Arguments.of("garbage", (UnaryOperator<String>) t -> "not a token"),
                Arguments.of("other version", (UnaryOperator<String>) t -> "orc2" + t.substring(4)),
                Arguments.of("secret one longer", (UnaryOperator<String>) t -> t + "A"),
                Arguments.of("secret one shorter", (UnaryOperator<String>) t -> t.substring(0, t.length() - 1)),
                Arguments.of("upper-case id", (UnaryOperator<String>) t -> "orc1." + t.substring(5, 17).toUpperCase()
                        + t.substring(17)),
                Arguments.of("padded", (UnaryOperator<String>) t -> " " + t),
                Arguments.of("only the secret", (UnaryOperator<String>) t -> t.substring(18)),
                Arguments.of("the stored digest as secret", (UnaryOperator<String>) t -> t));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("forgeries")
    void aForgedOrMalformedTokenIsRefused(String desc, UnaryOperator<String> forge) {
        JoinTokens.Issued issued = JoinTokens.issue(store, Fixtures.T0);
        String presented = forge.apply(issued.token());
        if (desc.equals("the stored digest as secret")) {
            presented = "orc1." + issued.id() + "." + store.tokens().get(issued.id()).orElseThrow().secretSha256();
        }

        assertEquals(Optional.empty(), JoinTokens.verify(store, presented));
        assertEquals(Optional.of(issued.id()), JoinTokens.verify(store, issued.token()), "the real one still works");
    }

    @Test
    void aRevokedTokenIsRefused() {
        JoinTokens.Issued kept = JoinTokens.issue(store, Fixtures.T0);
        JoinTokens.Issued revoked = JoinTokens.issue(store, Fixtures.T0);

        assertTrue(store.tokens().delete(revoked.id()));

        assertEquals(Optional.empty(), JoinTokens.verify(store, revoked.token()));
        assertEquals(Optional.of(kept.id()), JoinTokens.verify(store, kept.token()));
    }

    @Test
    void onlyTheDigestOfTheSecretIsStored() throws NoSuchAlgorithmException {
        JoinTokens.Issued issued = JoinTokens.issue(store, Fixtures.T0);
        JoinToken stored = store.tokens().get(issued.id()).orElseThrow();
        String secret = secret(issued);

        assertNotEquals(secret, stored.secretSha256());
        assertFalse(stored.secretSha256().contains(secret));
        assertFalse(stored.toString().contains(secret));
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(secret.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(digest, stored.secretSha256());
    }

    @Test
    void issuedToStringHasNoSecret() {
        JoinTokens.Issued issued = JoinTokens.issue(store, Fixtures.T0);

        String text = issued.toString();

        assertEquals("Issued[id=" + issued.id() + "]", text);
        assertFalse(text.contains(secret(issued)));
    }

    private static String secret(JoinTokens.Issued issued) {
        return issued.token().substring(issued.token().lastIndexOf('.') + 1);
    }
}
