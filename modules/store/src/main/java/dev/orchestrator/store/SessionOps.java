package dev.orchestrator.store;

import java.time.Clock;
import java.util.function.Function;
import org.apache.ibatis.exceptions.PersistenceException;
import org.apache.ibatis.session.SqlSession;

/**
 * {@link StoreTx} over one MyBatis session: the transaction {@link Store#inTransaction} hands
 * out. Every operation of every kind runs on that session. Confined to one thread;
 * {@link #close()} makes it and its groups unusable.
 */
final class SessionOps implements StoreTx {
    private final SqlSession session;
    private final Kinds kinds;
    private boolean closed;

    SessionOps(SqlSession session, Clock clock, Json json, SecretBox secrets) {
        this.session = session;
        this.kinds = Kinds.over(new OnSession(), clock, json, secrets);
    }

    /** Ends this view; later calls throw {@link IllegalStateException}. */
    void close() {
        closed = true;
    }

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

    /** Reads and writes alike on the transaction's session; the commit is the caller's. */
    private final class OnSession implements Access {
        @Override
        public <T> T read(String operation, Function<SqlSession, T> work) {
            return call(operation, work);
        }

        @Override
        public <T> T write(String operation, Function<SqlSession, T> work) {
            return call(operation, work);
        }

        private <T> T call(String operation, Function<SqlSession, T> work) {
            if (closed) {
                throw new IllegalStateException("this StoreTx was used after its transaction ended (" + operation
                        + ")");
            }
            try {
                return work.apply(session);
            } catch (PersistenceException e) {
                throw Failures.internal(operation, e);
            }
        }
    }
}
