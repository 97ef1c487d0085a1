package dev.orchestrator.store;

import dev.orchestrator.api.ErrorCode;
import dev.orchestrator.api.OrchestratorException;
import dev.orchestrator.store.internal.EpochMillisTypeHandler;
import dev.orchestrator.store.internal.WireWordTypeHandler;
import dev.orchestrator.store.internal.AssignmentMapper;
import dev.orchestrator.store.internal.DeploymentMapper;
import dev.orchestrator.store.internal.EventMapper;
import dev.orchestrator.store.internal.JoinTokenMapper;
import dev.orchestrator.store.internal.NetworkMapper;
import dev.orchestrator.store.internal.NodeMapper;
import dev.orchestrator.store.internal.RegistryMapper;
import dev.orchestrator.store.internal.ReplicaMapper;
import dev.orchestrator.store.internal.SchemaMapper;
import dev.orchestrator.store.internal.ServiceMapper;
import dev.orchestrator.store.internal.SettingMapper;
import dev.orchestrator.store.internal.UserMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ibatis.datasource.pooled.PooledDataSource;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.JdbcType;
import org.sqlite.JDBC;
import org.sqlite.SQLiteConfig;

/**
 * The orchestrator's state store: one SQLite database, {@code <dataDir>/state.db}, in WAL mode.
 * Desired state is written here before anything acts on it; a restarted server re-reads it.
 * Registry passwords are encrypted under the key {@code <dataDir>/secrets.key} (made on first
 * need, mode 0600; see {@link RegistryRecords}).
 *
 * <h2>Threading and blocking</h2>
 * Thread-safe; share one instance per process. Every method blocks on disk I/O. Reads run
 * concurrently, each on the latest committed state (WAL readers never wait for the writer).
 * Writes are serialized: one fair lock in this process, then SQLite's own write lock (each write
 * transaction starts with {@code BEGIN IMMEDIATE}, and another process holding the lock is waited
 * for up to {@value #BUSY_TIMEOUT_MILLIS} ms). So concurrent writers in this process queue
 * instead of failing with {@code SQLITE_BUSY}.
 *
 * <h2>Durability</h2>
 * {@code synchronous=NORMAL} in WAL mode: a committed transaction survives a crash of the
 * process; a power loss or kernel crash may undo the last transactions, never corrupt the file.
 *
 * <h2>Failures</h2>
 * Database failures surface as {@link OrchestratorException} with a message naming the operation
 * (never SQL values or password hashes): {@code STORE_UNAVAILABLE} when the disk is full or another
 * process kept the lock past the busy timeout (the operator can resolve both), else
 * {@code INTERNAL}; bad arguments as
 * {@code INVALID_ARGUMENT}; use after {@link #close()} as {@link IllegalStateException}.
 *
 * <h2>Connections</h2>
 * A small MyBatis {@link PooledDataSource} (at most {@value #MAX_CONNECTIONS} connections, kept
 * open). Pooled rather than unpooled because opening an SQLite connection re-reads the schema
 * and re-applies the pragmas, and because closing the last connection checkpoints and deletes
 * the WAL file: with a pool the WAL stays, and checkpoints happen in the background as SQLite
 * intends. The pool never takes a connection back from a slow transaction (its "overdue
 * checkout" reclaim is disabled). Every connection is configured by one {@link SQLiteConfig}:
 * {@code journal_mode=WAL}, {@code synchronous=NORMAL}, {@code foreign_keys=ON},
 * {@code busy_timeout=5000}, transactions {@code IMMEDIATE}.
 */
public final class Store implements StoreTx, AutoCloseable {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    /** The database file's name inside the data directory. */
    public static final String FILE_NAME = "state.db";
    /** How long a write waits for another process's write lock, in milliseconds. */
    public static final int BUSY_TIMEOUT_MILLIS = 5000;
    /** Pool size: one writer at a time plus concurrent readers. */
    static final int MAX_CONNECTIONS = 8;

    private static final List<Class<?>> MAPPERS = List.of(SchemaMapper.class, ServiceMapper.class,
            ReplicaMapper.class, EventMapper.class, UserMapper.class, NodeMapper.class, SettingMapper.class,
            AssignmentMapper.class, JoinTokenMapper.class,
            dev.orchestrator.store.internal.NodeCredentialMapper.class, NetworkMapper.class, RegistryMapper.class,
            DeploymentMapper.class);

    private final Path file;
    private final Clock clock;
    private final Json json = new Json();
    private final PooledDataSource dataSource;
    private final SqlSessionFactory sessions;
    // Fair: writers are served in arrival order, so a busy reconciler cannot starve an API write.
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final DirectoryLock directoryLock;
    private final Object eventMonitor = new Object();
    private long lastEvent; // guarded by eventMonitor: the highest event id this process committed
    private long wakeups; // guarded by eventMonitor
    private final int schemaVersion;
    private final Kinds kinds;
    private final SecretBox secrets;
    private volatile boolean closed;

    private Store(Path file, Clock clock, Migrations migrations) {
        this.file = file;
        this.clock = clock;
        this.directoryLock = DirectoryLock.acquire(java.util.Objects.requireNonNull(file.toAbsolutePath().getParent(),
                "the data directory of " + file));
        this.secrets = secrets(directoryLock, file.toAbsolutePath().getParent());
        this.dataSource = dataSource(file);
        this.sessions = new SqlSessionFactoryBuilder().build(configuration(dataSource));
        this.kinds = Kinds.over(new AutoCommit(), clock, json, secrets);
        try {
            this.schemaVersion = migrations.migrate(this::write, clock, file.toString());
        } catch (RuntimeException | Error e) {
            dataSource.forceCloseAll();
            directoryLock.close();
            throw e;
        }
    }

    private static SecretBox secrets(DirectoryLock directoryLock, Path dir) {
        try {
            return SecretBox.in(dir);
        } catch (RuntimeException | Error e) {
            directoryLock.close();
            throw e;
        }
    }

    /**
     * Opens (creating if needed) the store in {@code dataDir}, bringing its schema up to date.
     * Equivalent to {@code open(dataDir, Clock.systemUTC())}.
     *
     * @param dataDir the data directory; created with its parents if missing
     * @return the open store; close it when done
     * @throws OrchestratorException {@code INTERNAL} if the directory or database cannot be
     *         created or opened, a migration fails, or the database was written by a newer
     *         orchestrator (its schema version is newer than this code knows)
     */
    public static Store open(Path dataDir) {
        return open(dataDir, Clock.systemUTC());
    }

    /**
     * Like {@link #open(Path)}, with the clock that stamps services' creation and update times,
     * users, settings and migrations (events and replicas carry their own timestamps).
     *
     * @param dataDir the data directory
     * @param clock   the clock
     * @return the open store
     * @throws OrchestratorException as {@link #open(Path)}
     */
    public static Store open(Path dataDir, Clock clock) {
        return open(dataDir, clock, Migrations.production());
    }

    static Store open(Path dataDir, Clock clock, Migrations migrations) {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        Path dir = dataDir.toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OrchestratorException(ErrorCode.INTERNAL, "state store: cannot create data directory " + dir
                    + ": " + e, e);
        }
        return new Store(dir.resolve(FILE_NAME), clock, migrations);
    }

    private static PooledDataSource dataSource(Path file) {
        var config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // A write transaction takes the write lock at BEGIN, where busy_timeout applies. A deferred
        // one that reads first and then writes fails at once with SQLITE_BUSY if another
        // connection wrote in between; busy_timeout cannot help it.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        var ds = new PooledDataSource(JDBC.class.getClassLoader(), JDBC.class.getName(),
                JDBC.PREFIX + file, config.toProperties());
        ds.setPoolMaximumActiveConnections(MAX_CONNECTIONS);
        ds.setPoolMaximumIdleConnections(MAX_CONNECTIONS);
        // Never reclaim ("claim overdue") the connection of a long transaction for another caller.
        ds.setPoolMaximumCheckoutTime(Integer.MAX_VALUE);
        return ds;
    }

    private static Configuration configuration(PooledDataSource dataSource) {
        var cfg = new Configuration(new Environment("state", new JdbcTransactionFactory(), dataSource));
        cfg.setCacheEnabled(false);
        // Sessions are short and may write; never serve a select from a session's cache.
        cfg.setLocalCacheScope(LocalCacheScope.STATEMENT);
        cfg.setJdbcTypeForNull(JdbcType.NULL);
        // Before the mappers: their statements resolve type handlers when parsed.
        var handlers = cfg.getTypeHandlerRegistry();
        handlers.register(Instant.class, new EpochMillisTypeHandler());
        handlers.register(ReplicaState.class, new WireWordTypeHandler<>(ReplicaState::wireName, ReplicaState::parse));
        handlers.register(Health.class, new WireWordTypeHandler<>(Health::wireName, Health::parse));
        handlers.register(Deployment.Status.class, new WireWordTypeHandler<>(Deployment.Status::wireName,
                Deployment.Status::parse));
        // Registered one by one: MyBatis's package scanning (VFS) cannot list a module's packages.
        MAPPERS.forEach(cfg::addMapper);
        return cfg;
    }

    /** @return the database file */
    public Path file() {
        return file;
    }

    /** @return the schema version the database is at */
    public int schemaVersion() {
        return schemaVersion;
    }

    /**
     * Runs {@code work} in one write transaction: committed when it returns, rolled back when it
     * throws (the exception is rethrown as is). Blocks until no other transaction of this
     * process writes. The {@link StoreTx} given to {@code work} is valid only during the call
     * and only on this thread; reads through it see the transaction's own writes.
     *
     * <p>Not reentrant: calling {@code inTransaction} (or a write method of this store) from
     * inside {@code work} throws {@link IllegalStateException}; use the given {@code StoreTx}.
     * Reads through this store from inside {@code work} do not see the pending writes.
     *
     * @param work the work, e.g. {@code tx -> { tx.services().put(spec); return tx.events().append(event); }}
     * @param <T>  its result type
     * @return what {@code work} returned
     * @throws OrchestratorException {@code INTERNAL} if the transaction cannot start or commit
     * @throws IllegalStateException if nested, or the store is closed
     */
    public <T> T inTransaction(Function<? super StoreTx, ? extends T> work) {
        Objects.requireNonNull(work, "work");
        return write("transaction", session -> {
            var tx = new SessionOps(session, clock, json, secrets);
            try {
                return work.apply(tx);
            } finally {
                tx.close();
            }
        });
    }

    /**
     * {@link #inTransaction(Function)} for work without a result.
     *
     * @param work the work
     * @throws OrchestratorException as {@link #inTransaction(Function)}
     * @throws IllegalStateException as {@link #inTransaction(Function)}
     */
    public void runInTransaction(Consumer<? super StoreTx> work) {
        Objects.requireNonNull(work, "work");
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** Read anew after each wait (another thread's notify changed it). */
    private long wakeups() {
        return wakeups;
    }

    /**
     * Waits until this process commits an event with an id above {@code afterId}, or at most
     * {@code max}. Followers of the event log wait here and then read what is new: events
     * committed by another process (none in normal operation) are seen at the next timeout.
     * Thread-safe; blocks the caller.
     *
     * @param afterId the last event id the caller has
     * @param max     the longest wait
     * @throws InterruptedException if interrupted while waiting
     */
    public void awaitEvent(long afterId, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (eventMonitor) {
            long woken = wakeups;
            while (lastEvent <= afterId && wakeups() == woken && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(eventMonitor, left);
            }
        }
    }

    /** Wakes every {@link #awaitEvent} now, new event or not. */
    public void wakeEventFollowers() {
        synchronized (eventMonitor) {
            wakeups++;
            eventMonitor.notifyAll();
        }
    }

    private void eventAppended(long id) {
        synchronized (eventMonitor) {
            lastEvent = Math.max(lastEvent, id);
            eventMonitor.notifyAll();
        }
    }

    /**
     * Closes every connection. Waits for a running write transaction; reads still running may
     * fail. Idempotent.
     */
    @Override
    public void close() {
        writeLock.lock();
        try {
            if (!closed) {
                closed = true;
                dataSource.forceCloseAll();
                directoryLock.close();
            }
        } finally {
            writeLock.unlock();
        }
        wakeEventFollowers();
    }

    // ---- StoreTx: writes are one-operation transactions, reads one statement each

    @Override
    public ServiceRecords services() {
        return kinds.services();
    }

    @Override
    public AssignmentRecords assignments() {
        return kinds.assignments();
    }

    @Override
    public ReplicaRecords replicas() {
        return kinds.replicas();
    }

    @Override
    public NodeRecords nodes() {
        return kinds.nodes();
    }

    @Override
    public JoinTokenRecords tokens() {
        return kinds.tokens();
    }

    @Override
    public NodeCredentialRecords credentials() {
        return kinds.credentials();
    }

    @Override
    public EventRecords events() {
        return kinds.events();
    }

    @Override
    public UserRecords users() {
        return kinds.users();
    }

    @Override
    public SettingRecords settings() {
        return kinds.settings();
    }

    @Override
    public NetworkRecords networks() {
        return kinds.networks();
    }

    @Override
    public RegistryRecords registries() {
        return kinds.registries();
    }

    @Override
    public DeploymentRecords deployments() {
        return kinds.deployments();
    }

    /**
     * An identity kept in the settings: made of 8 random bytes (16 hex digits) on first use, the
     * same value ever after, e.g. the cluster id or an agent's node id.
     *
     * @param key the setting key
     * @return its value
     */
    public String randomId(String key) {
        return inTransaction(tx -> tx.settings().get(key).orElseGet(() -> {
            byte[] b = new byte[8];
            RANDOM.nextBytes(b);
            String id = java.util.HexFormat.of().formatHex(b);
            tx.settings().put(key, id);
            return id;
        }));
    }

    // ---- sessions

    /** @return the MyBatis configuration; for tests */
    Configuration configuration() {
        return sessions.getConfiguration();
    }

    /** A pragma's value as this store's connections see it; for tests. */
    String pragma(String name) {
        return readSession("read pragma " + name, s -> s.getMapper(SchemaMapper.class).pragma(name));
    }

    // Auto-commit: no BEGIN, so a read never takes the write lock; each statement reads one snapshot.
    private <T> T readSession(String operation, Function<SqlSession, T> work) {
        requireOpen();
        try (SqlSession session = sessions.openSession(true)) {
            return work.apply(session);
        } catch (PersistenceException e) {
            throw Failures.internal(operation, e);
        }
    }

    private <T> T write(String operation, Function<SqlSession, T> work) {
        if (writeLock.isHeldByCurrentThread()) {
            throw new IllegalStateException("state store: transactions do not nest; inside inTransaction, use the"
                    + " StoreTx it gives you");
        }
        writeLock.lock();
        try {
            requireOpen();
            try (SqlSession session = sessions.openSession(false)) {
                T result;
                try {
                    result = work.apply(session);
                } catch (RuntimeException | Error e) {
                    SqlEvents.takeAppended();
                    rollback(session, e);
                    throw e;
                }
                long appended = SqlEvents.takeAppended();
                try {
                    session.commit(true);
                } catch (PersistenceException e) {
                    throw Failures.internal("commit " + operation, e);
                }
                if (appended > 0) {
                    eventAppended(appended);
                }
                return result;
            }
        } catch (PersistenceException e) {
            throw Failures.internal(operation, e);
        } finally {
            writeLock.unlock();
        }
    }

    private static void rollback(SqlSession session, Throwable cause) {
        try {
            session.rollback(true);
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("state store " + file + " is closed");
        }
    }

    /** Each read in an auto-commit session of its own, each write in a transaction of its own. */
    private final class AutoCommit implements Access {
        @Override
        public <T> T read(String operation, Function<SqlSession, T> work) {
            return readSession(operation, work);
        }

        @Override
        public <T> T write(String operation, Function<SqlSession, T> work) {
            return Store.this.write(operation, work);
        }
    }
}
