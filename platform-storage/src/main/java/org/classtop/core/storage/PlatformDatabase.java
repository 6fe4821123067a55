package org.classtop.core.storage;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.classtop.api.server.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's database: SQLite in the data folder (LMS role) or PostgreSQL (management role). A
 * façade over four parts: {@link DataSources} (the read pool and the writer's connection),
 * {@link GroupCommitWriter} (the single writer), {@link WalCheckpointer} (SQLite only) and
 * {@link Migrations} (Flyway, per module).
 *
 * <p><b>Reads</b> go through {@link #dataSource()}, a HikariCP pool (on SQLite, WAL mode lets these
 * connections read while the writer writes).
 *
 * <p><b>Writes</b> go through {@link #write(SqlWork)}: the work is queued (never blocking the
 * caller) and run by the single writer thread, which owns one connection. The writer takes
 * everything waiting (up to {@link Options#maxBatchSize()} items), runs it in one transaction with a
 * SAVEPOINT per item (a failing item is rolled back to its savepoint and only its stage fails),
 * commits, and only then completes the stages, on a separate completion thread so that callbacks
 * cannot stall the writer. Stages complete in the order the writes were queued.
 *
 * <p>Rules for {@link SqlWork} run by the writer: use the given connection only inside
 * {@code run}; do not commit, roll back, change auto-commit, use JDBC savepoints or close it (those
 * calls throw or are ignored); close your statements ({@code prepareStatement(sql)} statements are
 * cached, closing returns them); get generated ids with {@code INSERT ... RETURNING id} (works on
 * both databases; {@code getGeneratedKeys()} is off on SQLite); do no slow non-database work
 * (every other write waits for it); never wait for another write's stage inside a write (it
 * cannot complete before the current transaction commits).
 *
 * <p>Durability: PostgreSQL commits are durable; SQLite runs in WAL mode with
 * {@code synchronous=NORMAL}, so a completed write survives a crash or kill of the process (the
 * last transactions may be lost on a power cut or OS crash, never corrupted).
 */
public final class PlatformDatabase implements Database, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PlatformDatabase.class);

    /**
     * Tuning knobs. {@code maxBatchSize <= 0} picks the dialect's default: 1000 for SQLite, 64 for
     * PostgreSQL (each item's savepoint is a subtransaction; PostgreSQL caches 64 per transaction).
     */
    public record Options(int queueCapacity, int maxBatchSize, int readPoolSize, int busyTimeoutMillis) {
        public static Options defaults() {
            return new Options(100_000, 0, 8, 10_000);
        }

        public Options {
            if (queueCapacity < 1) throw new IllegalArgumentException("queueCapacity must be at least 1");
            if (readPoolSize < 1) throw new IllegalArgumentException("readPoolSize must be at least 1");
            if (busyTimeoutMillis < 0) throw new IllegalArgumentException("busyTimeoutMillis must not be negative");
        }

        public Options withQueueCapacity(int capacity) {
            return new Options(capacity, maxBatchSize, readPoolSize, busyTimeoutMillis);
        }

        public Options withMaxBatchSize(int size) {
            return new Options(queueCapacity, size, readPoolSize, busyTimeoutMillis);
        }

        public Options withReadPoolSize(int size) {
            return new Options(queueCapacity, maxBatchSize, size, busyTimeoutMillis);
        }
    }

    private final DataSources sources;
    private final GroupCommitWriter writer;
    private final WalCheckpointer checkpointer;
    private final Migrations migrations;
    private final Options options;
    private boolean closed;

    /** See {@link #open(Path, String, Options)}; uses {@link Options#defaults()}. */
    public static PlatformDatabase open(Path dataDir, String jdbcUrl) {
        return open(dataDir, jdbcUrl, Options.defaults());
    }

    /**
     * Opens the database. {@code jdbcUrl} null or blank: the SQLite file {@code <dataDir>/classtop.db}
     * (WAL, synchronous=NORMAL, busy_timeout, foreign keys on); a {@code jdbc:sqlite:} URL: that
     * SQLite file; a {@code jdbc:postgresql:} URL: PostgreSQL through HikariCP. Creates
     * {@code dataDir}. Nothing is migrated: call {@link #migrate(String, ClassLoader)}.
     */
    public static PlatformDatabase open(Path dataDir, String jdbcUrl, Options options) {
        Objects.requireNonNull(options, "options");
        return new PlatformDatabase(DataSources.open(dataDir, jdbcUrl, options), options);
    }

    private PlatformDatabase(DataSources sources, Options options) {
        this.sources = sources;
        this.options = options;
        this.checkpointer = sources.dialect() == Dialect.SQLITE ? new WalCheckpointer(sources.reads()) : null;
        this.writer = new GroupCommitWriter(sources.dialect(), sources.writes(), options, checkpointer);
        if (checkpointer != null) {
            checkpointer.start(writer::committedTransactions);
        }
        this.migrations = new Migrations(sources.dialect(), sources.reads());
        LOG.info("Database opened: {} ({})", sources.description(), sources.dialect());
    }

    @Override
    public Dialect dialect() {
        return sources.dialect();
    }

    /** Read connections (and connections for code that must run its own transaction). */
    @Override
    public DataSource dataSource() {
        return sources.reads();
    }

    /**
     * Queues {@code work} for the writer. Never blocks: when the queue is full (or the database is
     * closed) the stage fails at once with a {@link StorageException}. The stage completes after the
     * transaction that ran the work committed, with the work's result or the exception it threw
     * (its changes then rolled back, the other writes of the batch unaffected).
     */
    @Override
    public <T> CompletionStage<T> write(SqlWork<T> work) {
        return writer.write(work);
    }

    /**
     * Queues {@code work} like {@link #write(SqlWork)}, but instead of completing a stage on the completion thread,
     * calls {@code onCommitted} on the writer thread right after the work's transaction: with null once it is
     * committed, else with what failed (also at once, on this thread, when the write is rejected). One thread
     * hand-off fewer, for the platform's hottest write; {@code onCommitted} must only hand its news on (complete
     * a future whose dependents are as quick, queue a task): whatever it spends, every other write waits for.
     */
    public void write(SqlWork<?> work, Consumer<Throwable> onCommitted) {
        writer.write(work, onCommitted);
    }

    /** Modules whose migrations went through Flyway since this database was opened (tests). */
    int flywayRuns() {
        return migrations.flywayRuns();
    }

    /**
     * Runs the Flyway migrations of one module: locations {@code classpath:db/<moduleId>/common} and
     * {@code classpath:db/<moduleId>/<sqlite|postgresql>}, found through {@code loader}, history in
     * the table {@code flyway_history_<moduleId>} (lower case, every character other than a-z and
     * 0-9 replaced by {@code _}). A module without migration files is a no-op.
     *
     * @throws MigrationException with a readable message if a migration fails
     */
    public void migrate(String moduleId, ClassLoader loader) {
        if (writer.closed()) throw new StorageException("The database is closed");
        migrations.migrate(moduleId, loader);
    }

    /** The Flyway history table of a module: {@code flyway_history_} + its id, lower case, non-[a-z0-9] as _. */
    public static String historyTable(String moduleId) {
        return Migrations.historyTable(moduleId);
    }

    /** Transactions the writer committed. */
    public long committedTransactions() {
        return writer.committedTransactions();
    }

    /** Writes (items) committed successfully. */
    public long committedWrites() {
        return writer.committedWrites();
    }

    /** Writes that failed (their own exception, a failed transaction or a closed database). */
    public long failedWrites() {
        return writer.failedWrites();
    }

    /** Writes queued or in the transaction being run, not yet committed. */
    public int pendingWrites() {
        return writer.pendingWrites();
    }

    /** Tells {@code observer} of every committed transaction from now on (one observer; a later one replaces it). */
    public void observeCommits(CommitObserver observer) {
        writer.observeCommits(java.util.Objects.requireNonNull(observer));
    }

    /** The most writes that may wait before new ones are refused. */
    public int queueCapacity() {
        return options.queueCapacity();
    }

    /** The most items one transaction takes. */
    public int maxBatchSize() {
        return writer.maxBatchSize();
    }

    /** The database, for logs: a URL without password. */
    public String description() {
        return sources.description();
    }

    /**
     * Stops accepting writes, runs and commits everything already queued, completes those stages,
     * then closes the pools. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                writer.close(); // waits for a close running on another thread
                return;
            }
            closed = true;
        }
        writer.close();
        if (checkpointer != null) {
            checkpointer.close();
        }
        sources.close();
        LOG.info("Database closed: {} ({} transactions, {} writes committed)", sources.description(),
                writer.committedTransactions(), writer.committedWrites());
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    static String rootMessage(Throwable t) {
        Throwable root = t;
        String message = null;
        while (root != null) {
            if (root.getMessage() != null && !root.getMessage().isBlank()) message = root.getMessage();
            if (root.getCause() == null || root.getCause() == root) break;
            root = root.getCause();
        }
        return message != null ? message.strip() : String.valueOf(t);
    }
}
