package org.classtop.core.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.classtop.api.server.Database;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The server's database: SQLite in the data folder (LMS role) or PostgreSQL (management role).
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
    private static final String SQLITE_FILE = "classtop.db";
    /** WAL frames (pages) beyond which the writer itself checkpoints so the WAL can restart. */
    private static final int WAL_RESET_FRAMES = 16_384;
    private static final String NEXT_SAVEPOINT = "RELEASE SAVEPOINT classtop_write; SAVEPOINT classtop_write";

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

    private final Dialect dialect;
    private final String description;
    private final HikariDataSource readPool;
    private final HikariDataSource writePool;
    private final int maxBatchSize;
    private final BlockingQueue<Item> queue;
    private final int queueCapacity;
    private final Thread writer;
    private final ExecutorService completions;
    private final ScheduledExecutorService checkpointer;
    private long checkpointedAtTransaction;
    private volatile boolean walResetRequested;
    private final AtomicInteger enqueuers = new AtomicInteger();
    private final AtomicLong rejectedSinceWarning = new AtomicLong();
    private final AtomicLong lastRejectWarning = new AtomicLong();
    private final Object migrateLock = new Object();

    private volatile boolean closed;
    private volatile int inFlight;
    private volatile long committedTransactions;
    private volatile long committedWrites;
    private volatile long failedWrites;

    // Writer-thread state.
    private Connection writerConnection;
    private WriterConnection writerFacade;
    private PreparedStatement begin;
    private PreparedStatement savepoint;
    private PreparedStatement release;
    private PreparedStatement rollbackToSavepoint;
    private PreparedStatement commit;
    private Statement nextSavepoint;

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
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
            }
        }
        String url = jdbcUrl == null ? "" : jdbcUrl.trim();
        if (url.isEmpty()) {
            if (dataDir == null) throw new IllegalArgumentException("A data folder or a database URL is required");
            return new PlatformDatabase(Dialect.SQLITE, "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath(), options);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            String file = url.substring("jdbc:sqlite:".length());
            int query = file.indexOf('?');
            Path path = Path.of(query >= 0 ? file.substring(0, query) : file);
            try {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the folder of " + path + ": " + e.getMessage(), e);
            }
            return new PlatformDatabase(Dialect.SQLITE, url, options);
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return new PlatformDatabase(Dialect.POSTGRESQL, url, options);
        }
        throw new IllegalArgumentException("Unsupported database URL " + redact(url)
                + ": use a jdbc:postgresql: URL, or none for SQLite in the data folder");
    }

    private PlatformDatabase(Dialect dialect, String url, Options options) {
        this.dialect = dialect;
        this.description = redact(url);
        this.queueCapacity = options.queueCapacity();
        this.maxBatchSize = options.maxBatchSize() > 0 ? options.maxBatchSize()
                : dialect == Dialect.SQLITE ? 1000 : 64;
        this.queue = new LinkedBlockingQueue<>(options.queueCapacity());
        HikariDataSource reads = null;
        HikariDataSource writes = null;
        try {
            if (dialect == Dialect.SQLITE) {
                writes = sqlitePool("classtop-db-write", url, 1, options.busyTimeoutMillis(), false);
                // The writer's first connection switches the file to WAL before readers open.
                try (Connection c = writes.getConnection()) {
                    c.isValid(1);
                }
                reads = sqlitePool("classtop-db-read", url, options.readPoolSize(), options.busyTimeoutMillis(), true);
            } else {
                writes = postgresPool("classtop-db-write", url, 1);
                reads = postgresPool("classtop-db-read", url, options.readPoolSize());
            }
        } catch (RuntimeException | SQLException e) {
            if (reads != null) reads.close();
            if (writes != null) writes.close();
            throw new StorageException("Cannot open the database " + description + ": " + rootMessage(e), e);
        }
        this.readPool = reads;
        this.writePool = writes;
        this.completions = Executors.newSingleThreadExecutor(daemon("classtop-db-complete"));
        this.writer = daemon("classtop-db-writer").newThread(this::writerLoop);
        this.writer.start();
        if (dialect == Dialect.SQLITE) {
            this.checkpointer = Executors.newSingleThreadScheduledExecutor(daemon("classtop-db-checkpoint"));
            this.checkpointer.scheduleWithFixedDelay(this::checkpoint, 250, 250, TimeUnit.MILLISECONDS);
        } else {
            this.checkpointer = null;
        }
        LOG.info("Database opened: {} ({})", description, dialect);
    }

    private static HikariDataSource sqlitePool(String name, String url, int size, int busyTimeoutMillis,
                                               boolean generatedKeys) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(busyTimeoutMillis);
        config.enforceForeignKeys(true);
        // A transaction begun through setAutoCommit(false) takes the write lock at once, so a
        // read-then-write transaction can't fail with SQLITE_BUSY_SNAPSHOT; plain reads run in
        // auto-commit and take no lock.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // getGeneratedKeys() costs a regex and a SELECT after every statement: off for the writer
        // (use INSERT ... RETURNING, which works on both databases).
        config.setGetGeneratedKeys(generatedKeys);
        config.setJournalSizeLimit(64 * 1024 * 1024);
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDataSource(ds);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(30_000);
        return new HikariDataSource(hc);
    }

    private static HikariDataSource postgresPool(String name, String url, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDriverClassName("org.postgresql.Driver");
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(10_000);
        return new HikariDataSource(hc);
    }

    @Override
    public Dialect dialect() {
        return dialect;
    }

    /** Read connections (and connections for code that must run its own transaction). */
    @Override
    public DataSource dataSource() {
        return readPool;
    }

    /**
     * Queues {@code work} for the writer. Never blocks: when the queue is full (or the database is
     * closed) the stage fails at once with a {@link StorageException}. The stage completes after the
     * transaction that ran the work committed, with the work's result or the exception it threw
     * (its changes then rolled back, the other writes of the batch unaffected).
     */
    @Override
    public <T> CompletionStage<T> write(SqlWork<T> work) {
        Objects.requireNonNull(work, "work");
        CompletableFuture<T> future = new CompletableFuture<>();
        enqueuers.incrementAndGet();
        try {
            if (closed) {
                future.completeExceptionally(new StorageException("The database is closed; the write was not run"));
            } else if (!queue.offer(new Item(work, future))) {
                future.completeExceptionally(new StorageException("The database write queue is full ("
                        + queueCapacity + " writes waiting); the write was not run"));
                warnRejected();
            }
        } finally {
            enqueuers.decrementAndGet();
        }
        return future;
    }

    private void warnRejected() {
        long rejected = rejectedSinceWarning.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRejectWarning.get();
        if ((last == 0 || now - last >= TimeUnit.SECONDS.toNanos(10)) && lastRejectWarning.compareAndSet(last, now)) {
            rejectedSinceWarning.addAndGet(-rejected);
            LOG.warn("Database write queue full ({} waiting): rejected {} write(s); the database cannot keep up",
                    queueCapacity, rejected);
        }
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
        Objects.requireNonNull(moduleId, "moduleId");
        if (moduleId.isBlank()) throw new IllegalArgumentException("moduleId must not be blank");
        if (closed) throw new StorageException("The database is closed");
        ClassLoader cl = loader != null ? loader : PlatformDatabase.class.getClassLoader();
        String table = historyTable(moduleId);
        String dialectDir = dialect == Dialect.SQLITE ? "sqlite" : "postgresql";
        List<String> locations = new ArrayList<>();
        for (String dir : List.of("common", dialectDir)) {
            if (cl.getResource("db/" + moduleId + "/" + dir) != null) locations.add("classpath:db/" + moduleId + "/" + dir);
        }
        if (locations.isEmpty()) {
            // Directory entries may be missing from a hand-made jar: let Flyway scan anyway.
            locations.add("classpath:db/" + moduleId + "/common");
            locations.add("classpath:db/" + moduleId + "/" + dialectDir);
        }
        synchronized (migrateLock) {
            try {
                FluentConfiguration config = Flyway.configure(cl)
                        .dataSource(readPool)
                        .locations(locations.toArray(String[]::new))
                        .table(table)
                        .baselineOnMigrate(true)
                        .baselineVersion("0")
                        .baselineDescription("<< " + moduleId + " baseline >>")
                        .failOnMissingLocations(false)
                        .cleanDisabled(true);
                Flyway flyway = config.load();
                if (flyway.info().all().length == 0) {
                    LOG.debug("Module {} has no database migrations", moduleId);
                    return;
                }
                var result = flyway.migrate();
                if (result.migrationsExecuted > 0) {
                    LOG.info("Database migrations of {}: {} applied, now at version {}", moduleId,
                            result.migrationsExecuted, result.targetSchemaVersion);
                }
            } catch (RuntimeException e) {
                throw new MigrationException("Database migration of module '" + moduleId + "' failed ("
                        + dialect.name().toLowerCase(Locale.ROOT) + "): " + rootMessage(e), e);
            }
        }
    }

    /** The Flyway history table of a module: {@code flyway_history_} + its id, lower case, non-[a-z0-9] as _. */
    public static String historyTable(String moduleId) {
        StringBuilder sb = new StringBuilder("flyway_history_");
        for (char ch : moduleId.toLowerCase(Locale.ROOT).toCharArray()) {
            sb.append((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '_');
        }
        if (sb.length() > 63) { // PostgreSQL's identifier limit
            String hash = Hashes.sha256Hex(moduleId).substring(0, 8);
            sb.setLength(54);
            sb.append('_').append(hash);
        }
        return sb.toString();
    }

    /** Transactions the writer committed. */
    public long committedTransactions() {
        return committedTransactions;
    }

    /** Writes (items) committed successfully. */
    public long committedWrites() {
        return committedWrites;
    }

    /** Writes that failed (their own exception, a failed transaction or a closed database). */
    public long failedWrites() {
        return failedWrites;
    }

    /** Writes queued or in the transaction being run, not yet committed. */
    public int pendingWrites() {
        return queue.size() + inFlight;
    }

    /** The most items one transaction takes. */
    public int maxBatchSize() {
        return maxBatchSize;
    }

    /** The database, for logs: a URL without password. */
    public String description() {
        return description;
    }

    /**
     * Stops accepting writes, runs and commits everything already queued, completes those stages,
     * then closes the pools. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                awaitWriter();
                return;
            }
            closed = true;
        }
        queue.offer(Item.WAKE);
        awaitWriter();
        completions.shutdown();
        try {
            if (!completions.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Database write callbacks still running after 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (checkpointer != null) {
            checkpointer.shutdown();
            try {
                checkpointer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            walCheckpoint("TRUNCATE");
        }
        readPool.close();
        writePool.close();
        LOG.info("Database closed: {} ({} transactions, {} writes committed)", description,
                committedTransactions, committedWrites);
    }

    private void awaitWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    // ---------------------------------------------------------------- SQLite checkpoints

    /** Copies committed WAL frames into the database file, off the writer thread, when there were commits. */
    private void checkpoint() {
        long tx = committedTransactions;
        if (tx == checkpointedAtTransaction) return;
        checkpointedAtTransaction = tx;
        walCheckpoint("PASSIVE");
    }

    private void walCheckpoint(String mode) {
        try (Connection c = readPool.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            // columns: busy, frames in the WAL, frames checkpointed
            if (rs.next() && rs.getInt(2) >= WAL_RESET_FRAMES) {
                // Under a steady stream of commits a concurrent checkpoint never catches the WAL's
                // end, so the WAL would never restart: let the writer finish one between batches.
                walResetRequested = true;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("WAL checkpoint ({}) failed: {}", mode, rootMessage(e));
        }
    }

    /** Writer thread, between transactions: a checkpoint no commit can race, so the WAL restarts. */
    private void checkpointOnWriter() {
        walResetRequested = false;
        try (Statement st = writerConnection().createStatement();
             var rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (rs.next() && rs.getInt(3) < rs.getInt(2)) {
                LOG.debug("WAL checkpoint on the writer left {} frames: readers hold older snapshots",
                        rs.getInt(2) - rs.getInt(3));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("WAL checkpoint on the writer failed: {}", rootMessage(e));
        }
    }

    // ---------------------------------------------------------------- writer thread

    private void writerLoop() {
        List<Item> batch = new ArrayList<>(Math.min(maxBatchSize, 4096));
        try {
            while (true) {
                boolean closing = closed;
                // closed is set before the emptiness check: a write that saw closed == false holds
                // enqueuers above zero until its item is in the queue.
                if (closing && enqueuers.get() == 0 && queue.isEmpty()) break;
                Item first;
                try {
                    first = queue.poll(closing ? 10 : 1000, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    continue; // only close() ends the writer
                }
                if (first == null || first == Item.WAKE) continue;
                batch.add(first);
                queue.drainTo(batch, maxBatchSize - 1);
                batch.removeIf(i -> i == Item.WAKE);
                inFlight = batch.size();
                runBatch(batch);
                batch.clear();
                inFlight = 0;
                if (walResetRequested) checkpointOnWriter();
            }
        } catch (Throwable t) {
            LOG.error("The database writer stopped unexpectedly", t);
            failRemaining(new StorageException("The database writer stopped: " + rootMessage(t), t));
        } finally {
            closeWriterConnection();
        }
    }

    private void failRemaining(Throwable cause) {
        closed = true;
        List<Item> rest = new ArrayList<>();
        queue.drainTo(rest);
        rest.removeIf(i -> i == Item.WAKE);
        complete(rest, cause);
    }

    private void runBatch(List<Item> batch) {
        boolean sqlite = dialect == Dialect.SQLITE;
        Throwable failure = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            boolean started = false;
            try {
                writerConnection();
                begin.execute();
                started = true;
                boolean first = true;
                for (Item item : batch) {
                    if (sqlite || first) {
                        savepoint.execute();
                    } else {
                        // PostgreSQL: release the previous item's savepoint and open this one in a
                        // single round trip; the last one is released by COMMIT.
                        nextSavepoint.execute(NEXT_SAVEPOINT);
                    }
                    first = false;
                    try {
                        item.result = item.work.run(writerFacade.facade());
                        if (sqlite) release.execute();
                    } catch (Throwable t) {
                        item.error = t;
                        rollbackToSavepoint.execute(); // the savepoint stays, empty
                        if (sqlite) release.execute();
                    }
                }
                commit.execute();
                inFlight = 0;
                long ok = 0;
                for (Item item : batch) if (item.error == null) ok++;
                committedTransactions++;
                committedWrites += ok;
                failedWrites += batch.size() - ok;
                complete(batch, null);
                return;
            } catch (Throwable t) {
                failure = t;
                rollbackQuietly();
                closeWriterConnection();
                if (started) break; // items ran: don't run them twice
                LOG.warn("Could not begin a database write transaction (attempt {}): {}", attempt, rootMessage(t));
                sleepQuietly(100L * attempt);
            }
        }
        LOG.error("A database write transaction of {} write(s) failed and was rolled back: {}", batch.size(),
                rootMessage(failure));
        failedWrites += batch.size();
        inFlight = 0;
        StorageException cause = new StorageException(
                "The database write transaction failed and was rolled back: " + rootMessage(failure), failure);
        complete(batch, cause);
    }

    /** Completes the stages on the completion thread, in order; {@code batchFailure} fails them all. */
    private void complete(List<Item> batch, Throwable batchFailure) {
        if (batch.isEmpty()) return;
        List<Item> done = List.copyOf(batch);
        Runnable task = () -> {
            for (Item item : done) {
                try {
                    if (batchFailure != null) item.future.completeExceptionally(batchFailure);
                    else if (item.error != null) item.future.completeExceptionally(item.error);
                    else item.future.complete(item.result);
                } catch (Throwable t) {
                    LOG.warn("A database write callback failed", t);
                }
            }
        };
        try {
            completions.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    private Connection writerConnection() throws SQLException {
        if (writerConnection != null) return writerConnection;
        Connection c = writePool.getConnection();
        try {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            if (dialect == Dialect.SQLITE) {
                // Checkpoints (which fsync) run on the checkpoint thread, not in the writer's commits.
                try (Statement st = c.createStatement()) {
                    st.execute("PRAGMA wal_autocheckpoint = 0");
                }
            }
            begin = c.prepareStatement(dialect == Dialect.SQLITE ? "BEGIN IMMEDIATE" : "BEGIN");
            savepoint = c.prepareStatement("SAVEPOINT classtop_write");
            release = c.prepareStatement("RELEASE SAVEPOINT classtop_write");
            rollbackToSavepoint = c.prepareStatement("ROLLBACK TO SAVEPOINT classtop_write");
            commit = c.prepareStatement("COMMIT");
            nextSavepoint = c.createStatement();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        writerConnection = c;
        writerFacade = new WriterConnection(c);
        return c;
    }

    private void rollbackQuietly() {
        if (writerConnection == null) return;
        try (var st = writerConnection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // not in a transaction, or the connection is gone
        }
    }

    private void closeWriterConnection() {
        if (writerConnection == null) return;
        writerFacade.closeStatements();
        for (Statement ps : new Statement[] {begin, savepoint, release, rollbackToSavepoint, commit, nextSavepoint}) {
            try {
                if (ps != null) ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            writerConnection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the writer connection failed", e);
        }
        writerConnection = null;
        writerFacade = null;
    }

    // ---------------------------------------------------------------- helpers

    private static final class Item {
        static final Item WAKE = new Item(c -> null, new CompletableFuture<>());

        final SqlWork<?> work;
        final CompletableFuture<Object> future;
        Object result;
        Throwable error;

        @SuppressWarnings("unchecked")
        Item(SqlWork<?> work, CompletableFuture<?> future) {
            this.work = work;
            this.future = (CompletableFuture<Object>) future;
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    /** A URL fit for logs: the value of any password parameter and any user-info are masked. */
    static String redact(String url) {
        if (url == null) return null;
        String s = url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        return s.replaceAll("(//[^/@:]*):[^/@]*@", "$1:***@");
    }
}
