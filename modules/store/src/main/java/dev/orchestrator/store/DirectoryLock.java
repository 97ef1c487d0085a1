package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * One process per data directory: an exclusive lock on {@code <dir>/orchestrator.lock}, held
 * while the store is open, with the holder's pid and start time in the file. SQLite would let
 * two processes share the database, and two agents sharing one mirror then each act on the
 * other's replicas (one of them silently never starts what it is assigned). The operating
 * system drops the lock when the process dies, so a crash leaves nothing to clean up.
 */
final class DirectoryLock implements AutoCloseable {
    static final String FILE_NAME = "orchestrator.lock";
    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param dir the data directory, existing
     * @return the held lock
     * @throws OrchestratorException {@code CONFLICT} naming the holder if another process (or
     *         another store of this process) has it; {@code INTERNAL} if the file cannot be used
     */
    static DirectoryLock acquire(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                String holder = holder(file);
                ch.close();
                throw new OrchestratorException(ErrorCode.CONFLICT, "data directory " + dir + " is in use by another"
                        + " orchestrator process" + (holder.isEmpty() ? "" : " (" + holder + ")")
                        + ": stop it, or give this one its own --data-dir");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + ", since " + Instant.now() + "\n")
                    .getBytes(StandardCharsets.UTF_8)), 0);
            ch.force(false);
            return new DirectoryLock(ch, l);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new OrchestratorException(ErrorCode.INTERNAL, "state store: cannot lock " + file + ": " + e, e);
        }
    }

    private static String holder(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
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

    /** Releases the lock. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // closing the channel releases it too
        }
        closeQuietly(channel);
    }
}
