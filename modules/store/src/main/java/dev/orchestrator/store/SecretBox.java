package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest with AES-256-GCM: a random 12-byte nonce per seal, a context (such
 * as the registry host) as associated data, and the result stored as the base64 of nonce
 * followed by ciphertext and tag. The 32-byte key is the file {@value #FILE_NAME} in the data
 * directory: read when the box is made if it exists, else made with {@link SecureRandom} on the
 * first seal, written atomically and readable by its owner only (created with mode 0600).
 *
 * <p>Thread-safe. The first seal may block on disk I/O (making the key); otherwise CPU only.
 * Failures are {@link OrchestratorException}s with {@code INTERNAL} whose messages name the key
 * file or the context, never a secret.
 */
final class SecretBox {
    /** The key file's name inside the data directory. */
    static final String FILE_NAME = "secrets.key";
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Object lock = new Object();
    private SecretKey key; // guarded by lock; null until read or made

    private SecretBox(Path file) {
        this.file = file;
    }

    /**
     * @param dataDir the data directory
     * @return the box of its key, the key read now if the file exists
     * @throws OrchestratorException {@code INTERNAL} if the key file cannot be read or is not
     *         {@value #KEY_BYTES} bytes long
     */
    static SecretBox in(Path dataDir) {
        var box = new SecretBox(dataDir.resolve(FILE_NAME));
        if (Files.exists(box.file)) {
            synchronized (box.lock) {
                box.key = box.read();
            }
        }
        return box;
    }

    /** @return the key file */
    Path file() {
        return file;
    }

    /**
     * @param context   bound to the result: {@link #open} needs the same
     * @param plaintext the secret
     * @return base64 of nonce, ciphertext and tag
     */
    String seal(String context, String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key(true), nonce, context);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length)
                    .put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "cannot encrypt the secret of " + context + ": " + e,
                    e);
        }
    }

    /**
     * @param context as given to {@link #seal}
     * @param sealed  what {@link #seal} returned
     * @return the secret
     * @throws OrchestratorException {@code INTERNAL} if it does not decrypt: another key, another
     *         context, or altered bytes
     */
    String open(String context, String sealed) {
        SecretKey k = key(false);
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            if (k == null || all.length < NONCE_BYTES) {
                throw new GeneralSecurityException(k == null ? "no key" : "too short");
            }
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, k, Arrays.copyOf(all, NONCE_BYTES), context);
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "cannot decrypt the stored secret of " + context
                    + " with the key " + file + " (another key, or altered data)", e);
        }
    }

    private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String context)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance(CIPHER);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private SecretKey key(boolean create) {
        synchronized (lock) {
            if (key == null && Files.exists(file)) {
                key = read();
            } else if (key == null && create) {
                key = make();
            }
            return key;
        }
    }

    private SecretKey read() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length != KEY_BYTES) {
                throw new OrchestratorException(ErrorCode.INTERNAL, "secret key file " + file + " has "
                        + bytes.length + " bytes, not " + KEY_BYTES + "; restore it from a backup");
            }
            return new SecretKeySpec(bytes, "AES");
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "cannot read secret key file " + file + ": " + e, e);
        }
    }

    // Written to a temporary file made with mode 0600, then renamed: never readable by others,
    // never seen half-written.
    private SecretKey make() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        Path dir = java.util.Objects.requireNonNull(file.toAbsolutePath().getParent(), "the key file's directory");
        try {
            Path tmp = Files.createTempFile(dir, FILE_NAME, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(bytes));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            return new SecretKeySpec(bytes, "AES");
        } catch (IOException | UnsupportedOperationException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "cannot create secret key file " + file + ": " + e,
                    e);
        }
    }
}
