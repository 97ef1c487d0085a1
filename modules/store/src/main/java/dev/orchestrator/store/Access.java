package dev.orchestrator.store;

import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;

/**
 * How the operations on one kind of record reach the database: every call on the session of one
 * transaction ({@link SessionOps}), or each call in a session of its own ({@link Store}). Either
 * way a {@link org.apache.ibatis.exceptions.PersistenceException} becomes an {@code INTERNAL}
 * {@link dev.orchestrator.api.OrchestratorException} naming the operation.
 */
interface Access {
    /**
     * @param operation what is read, for error messages, e.g. {@code read node 'n1'}
     * @param work      the statements; they only read
     * @param <T>       the result type
     * @return what {@code work} returned
     */
    <T> T read(String operation, Function<SqlSession, T> work);

    /**
     * @param operation what is written, for error messages, e.g. {@code put node 'n1'}
     * @param work      the statements; all of them are committed together, or none
     * @param <T>       the result type
     * @return what {@code work} returned
     */
    <T> T write(String operation, Function<SqlSession, T> work);

    /**
     * {@link #write} without a result.
     *
     * @param operation what is written
     * @param work      the statements
     */
    default void run(String operation, Consumer<SqlSession> work) {
        write(operation, s -> {
            work.accept(s);
            return null;
        });
    }
}
