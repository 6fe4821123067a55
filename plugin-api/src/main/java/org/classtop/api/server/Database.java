package org.classtop.api.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import javax.sql.DataSource;

/**
 * The platform's database: SQLite in the data folder (LMS role) or PostgreSQL (management role).
 * Read through {@link #dataSource()}; write through {@link #write(SqlWork)}, which runs the work on
 * the single writer thread, batched with other writes into one transaction (group commit). The stage
 * completes once the transaction is durable.
 */
public interface Database {
    enum Dialect { SQLITE, POSTGRESQL }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    Dialect dialect();

    /** Connections for reading (and for plugin code that must run its own transaction). */
    DataSource dataSource();

    <T> CompletionStage<T> write(SqlWork<T> work);
}
