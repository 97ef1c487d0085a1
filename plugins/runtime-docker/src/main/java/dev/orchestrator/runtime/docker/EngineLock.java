package dev.orchestrator.runtime.docker;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A lock held by one caller at a time per Docker engine, across the processes of this host
 * (several nodes may share one engine, e.g. an agent beside the server's local node): a file
 * lock on a file named after the engine's endpoint, as CNI's host-local IPAM serializes its
 * allocations.
 *
 * <p>Why: Docker's duplicate-name check of a network create is not atomic, so two nodes
 * creating {@code orch-default} at one moment get two networks of that name; a created
 * container naming one then fails to start ("ambiguous", or "not found" once the duplicate is
 * removed). Creates made one at a time see each other, and the second is refused as a
 * duplicate. Blocking; held for one engine call. Engines reached over TCP from several hosts
 * are not covered (each host locks its own file).
 */
final class EngineLock implements AutoCloseable {
    /** Threads of this process: a file lock is per process, and the JVM refuses overlapping ones. */
    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    private final FileChannel channel;
    private final FileLock lock;

    private EngineLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param engine the engine's endpoint, e.g. {@code unix:///var/run/docker.sock}
     * @return the held lock; close to release
     * @throws OrchestratorException {@link ErrorCode#RUNTIME_FAILURE} if the lock file cannot be opened
     */
    static EngineLock acquire(String engine) {
        IN_PROCESS.lock();
        Path file = directory().resolve("orchestrator-engine-" + digest(engine) + ".lock");
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new EngineLock(ch, ch.lock());
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            IN_PROCESS.unlock();
            throw new OrchestratorException(ErrorCode.RUNTIME_FAILURE, "cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code /run/lock} where it is writable (every user's processes see one), else the temp directory. */
    private static Path directory() {
        Path run = Path.of("/run/lock");
        return Files.isDirectory(run) && Files.isWritable(run) ? run : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static String digest(String engine) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(engine.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every Java SE runtime", e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing held
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            IN_PROCESS.unlock();
        }
    }
}
