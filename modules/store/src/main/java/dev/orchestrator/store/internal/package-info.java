/**
 * MyBatis mappers, row records, type handlers and SQL providers. Not exported; opened to {@code org.mybatis}
 * only (see module-info). Every SQL statement of the module lives in this package.
 *
 * <p>Result rows map onto records by <em>column order</em>: MyBatis calls a record's only
 * constructor with the selected columns in order, so each {@code SELECT} lists its columns in
 * the record's component order (the {@code COLUMNS} constants).
 *
 * <p>No dynamic SQL: see {@link dev.orchestrator.store.internal.SqlProviders} for why, and for
 * the few statements whose text varies.
 */
package dev.orchestrator.store.internal;
