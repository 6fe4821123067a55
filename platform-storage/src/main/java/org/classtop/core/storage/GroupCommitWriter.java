package org.classtop.core.storage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.classtop.api.server.Database.Dialect;
import org.classtop.api.server.Database.SqlWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The group-commit writer: one thread and one connection run every write. It takes everything
 * waiting (up to {@code maxBatchSize} items), runs it in one transaction with a SAVEPOINT per item
 * (a failing item is rolled back to its savepoint and only its stage fails), commits, and only then
 * completes the stages, in queue order, on a separate completion thread so that callbacks cannot
 * stall the writer. See {@link PlatformDatabase} for the rules a {@link SqlWork} follows.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final String NEXT_SAVEPOINT = "RELEASE SAVEPOINT classtop_write; SAVEPOINT classtop_write";
    /**
     * When the writer was busy more than a fifth of the last {@link #DUTY_WINDOW_NANOS}, the next batch starts no
     * sooner than {@code GATHER_FACTOR × T} after a batch that took T (at most {@link #MAX_GATHER_NANOS}): writes
     * arriving one at a time faster than the writer commits them would otherwise each be their own transaction, and
     * a commit rewrites the last page of every table and index it touched. A writer that is mostly idle starts at
     * once, so light traffic waits for nothing.
     */
    private static final int GATHER_FACTOR = 2;
    private static final long DUTY_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long MAX_GATHER_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final Dialect dialect;
    private final DataSource writePool;
    private final WalCheckpointer checkpointer;
    private final int maxBatchSize;
    private final BlockingQueue<Item> queue;
    private final int queueCapacity;
    private final Thread thread;
    private final ExecutorService completions;
    private final AtomicInteger enqueuers = new AtomicInteger();
    private final AtomicLong rejectedSinceWarning = new AtomicLong();
    private final AtomicLong lastRejectWarning = new AtomicLong();

    private volatile boolean closed;
    private volatile int inFlight;
    private volatile CommitObserver commitObserver = (writes, nanos) -> { };
    private volatile long committedTransactions;
    private volatile long committedWrites;
    private volatile long failedWrites;

    // Writer-thread state.
    private long nextBatchNotBefore;
    private long dutyWindowStart = System.nanoTime();
    private long dutyWindowBusy;
    private boolean gathering;
    private Connection connection;
    private WriterConnection facade;
    private PreparedStatement begin;
    private PreparedStatement savepoint;
    private PreparedStatement release;
    private PreparedStatement rollbackToSavepoint;
    private PreparedStatement commit;
    private Statement nextSavepoint;

    /**
     * @param writePool    the writer's pool (one connection)
     * @param checkpointer SQLite's WAL checkpoints (the writer prepares its connection for them and
     *                     runs one between transactions when asked), or null
     */
    GroupCommitWriter(Dialect dialect, DataSource writePool, PlatformDatabase.Options options,
                      WalCheckpointer checkpointer) {
        this.dialect = dialect;
        this.writePool = writePool;
        this.checkpointer = checkpointer;
        this.queueCapacity = options.queueCapacity();
        this.maxBatchSize = options.maxBatchSize() > 0 ? options.maxBatchSize()
                : dialect == Dialect.SQLITE ? 1000 : 64;
        this.queue = new LinkedBlockingQueue<>(options.queueCapacity());
        this.completions = Executors.newSingleThreadExecutor(PlatformDatabase.daemon("classtop-db-complete"));
        this.thread = PlatformDatabase.daemon("classtop-db-writer").newThread(this::run);
        this.thread.start();
    }

    /** Queues {@code work}; never blocks (see {@link PlatformDatabase#write(SqlWork)}). */
    <T> CompletionStage<T> write(SqlWork<T> work) {
        CompletableFuture<T> future = new CompletableFuture<>();
        enqueue(new Item(work, future, null), future::completeExceptionally);
        return future;
    }

    /**
     * Queues {@code work} whose outcome goes to {@code onCommitted} on the writer thread itself, right after its
     * transaction (see {@link PlatformDatabase#write(SqlWork, Consumer)}); a rejected write reports on this thread.
     */
    void write(SqlWork<?> work, Consumer<Throwable> onCommitted) {
        Objects.requireNonNull(onCommitted, "onCommitted");
        enqueue(new Item(work, null, onCommitted), onCommitted);
    }

    private void enqueue(Item item, Consumer<Throwable> rejected) {
        Objects.requireNonNull(item.work, "work");
        enqueuers.incrementAndGet();
        try {
            if (closed) {
                rejected.accept(new StorageException("The database is closed; the write was not run"));
            } else if (!queue.offer(item)) {
                rejected.accept(new StorageException("The database write queue is full ("
                        + queueCapacity + " writes waiting); the write was not run"));
                warnRejected();
            }
        } finally {
            enqueuers.decrementAndGet();
        }
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

    boolean closed() {
        return closed;
    }

    long committedTransactions() {
        return committedTransactions;
    }

    long committedWrites() {
        return committedWrites;
    }

    long failedWrites() {
        return failedWrites;
    }

    int pendingWrites() {
        return queue.size() + inFlight;
    }

    void observeCommits(CommitObserver observer) {
        this.commitObserver = observer;
    }

    int maxBatchSize() {
        return maxBatchSize;
    }

    /** Stops accepting writes, runs and commits everything queued, completes those stages. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                awaitThread();
                return;
            }
            closed = true;
        }
        queue.offer(Item.WAKE);
        awaitThread();
        completions.shutdown();
        try {
            if (!completions.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("Database write callbacks still running after 30 s; closing anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitThread() {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    // ---------------------------------------------------------------- writer thread

    private void run() {
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
                gather(closing);
                queue.drainTo(batch, maxBatchSize - 1);
                batch.removeIf(i -> i == Item.WAKE);
                inFlight = batch.size();
                long began = System.nanoTime();
                runBatch(batch);
                paceAfter(began, System.nanoTime());
                batch.clear();
                inFlight = 0;
                if (checkpointer != null && connection != null) checkpointer.betweenTransactions(connection);
            }
        } catch (Throwable t) {
            LOG.error("The database writer stopped unexpectedly", t);
            failRemaining(new StorageException("The database writer stopped: " + PlatformDatabase.rootMessage(t), t));
        } finally {
            closeConnection();
        }
    }

    private void paceAfter(long began, long ended) {
        long busy = ended - began;
        dutyWindowBusy += busy;
        if (ended - dutyWindowStart >= DUTY_WINDOW_NANOS) {
            gathering = dutyWindowBusy * 5 > ended - dutyWindowStart;
            dutyWindowStart = ended;
            dutyWindowBusy = 0;
        }
        nextBatchNotBefore = gathering ? ended + Math.min(GATHER_FACTOR * busy, MAX_GATHER_NANOS) : ended;
    }

    /** Waits until the next batch may start, unless closing or a full batch is waiting already. */
    private void gather(boolean closing) {
        long wait = nextBatchNotBefore - System.nanoTime();
        if (wait > 0 && !closing && queue.size() < maxBatchSize - 1) {
            LockSupport.parkNanos(this, wait);
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
                connection();
                long transactionStart = System.nanoTime();
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
                        item.result = item.work.run(facade.facade());
                        if (sqlite) release.execute();
                    } catch (Throwable t) {
                        item.error = t;
                        rollbackToSavepoint.execute(); // the savepoint stays, empty
                        if (sqlite) release.execute();
                    }
                }
                commit.execute();
                long transactionNanos = System.nanoTime() - transactionStart;
                inFlight = 0;
                long ok = 0;
                for (Item item : batch) if (item.error == null) ok++;
                committedTransactions++;
                committedWrites += ok;
                failedWrites += batch.size() - ok;
                complete(batch, null);
                try {
                    commitObserver.committed(batch.size(), transactionNanos);
                } catch (RuntimeException e) {
                    LOG.warn("A commit observer failed: {}", e.toString());
                }
                return;
            } catch (Throwable t) {
                failure = t;
                rollbackQuietly();
                closeConnection();
                if (started) break; // items ran: don't run them twice
                LOG.warn("Could not begin a database write transaction (attempt {}): {}", attempt,
                        PlatformDatabase.rootMessage(t));
                sleepQuietly(100L * attempt);
            }
        }
        LOG.error("A database write transaction of {} write(s) failed and was rolled back: {}", batch.size(),
                PlatformDatabase.rootMessage(failure));
        failedWrites += batch.size();
        inFlight = 0;
        StorageException cause = new StorageException("The database write transaction failed and was rolled back: "
                + PlatformDatabase.rootMessage(failure), failure);
        complete(batch, cause);
    }

    /**
     * Tells the items' outcomes: the {@code onCommitted} callbacks here on the writer thread, then the stages on the
     * completion thread, in order; {@code batchFailure} fails them all.
     */
    private void complete(List<Item> batch, Throwable batchFailure) {
        if (batch.isEmpty()) return;
        List<Item> done = new ArrayList<>(batch.size());
        for (Item item : batch) {
            if (item.onCommitted == null) {
                done.add(item);
                continue;
            }
            try {
                item.onCommitted.accept(batchFailure != null ? batchFailure : item.error);
            } catch (Throwable t) {
                LOG.warn("A database write callback failed", t);
            }
        }
        if (done.isEmpty()) return;
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

    private Connection connection() throws SQLException {
        if (connection != null) return connection;
        Connection c = writePool.getConnection();
        try {
            if (!c.getAutoCommit()) c.setAutoCommit(true);
            if (checkpointer != null) checkpointer.prepareWriterConnection(c);
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
        connection = c;
        facade = new WriterConnection(c);
        return c;
    }

    private void rollbackQuietly() {
        if (connection == null) return;
        try (var st = connection.createStatement()) {
            st.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // not in a transaction, or the connection is gone
        }
    }

    private void closeConnection() {
        if (connection == null) return;
        facade.closeStatements();
        for (Statement ps : new Statement[] {begin, savepoint, release, rollbackToSavepoint, commit, nextSavepoint}) {
            try {
                if (ps != null) ps.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("Closing the writer connection failed", e);
        }
        connection = null;
        facade = null;
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Item {
        static final Item WAKE = new Item(c -> null, new CompletableFuture<>(), null);

        final SqlWork<?> work;
        /** The caller's stage, or null when {@link #onCommitted} is told instead. */
        final CompletableFuture<Object> future;
        final Consumer<Throwable> onCommitted;
        Object result;
        Throwable error;

        @SuppressWarnings("unchecked")
        Item(SqlWork<?> work, CompletableFuture<?> future, Consumer<Throwable> onCommitted) {
            this.work = work;
            this.future = (CompletableFuture<Object>) future;
            this.onCommitted = onCommitted;
        }
    }
}
