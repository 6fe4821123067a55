package org.classtop.core.storage;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SQLite WAL checkpoints. The writer runs with {@code wal_autocheckpoint = 0} so that its commits
 * never fsync the database file; instead, every 250 ms when there were commits, this copies the
 * committed WAL frames into the database file on its own thread. When the WAL has grown past
 * {@value #WAL_RESET_FRAMES} frames (a steady stream of commits never lets a concurrent checkpoint
 * catch the WAL's end), it asks the writer to run one between two transactions, so the WAL restarts.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /** WAL frames (pages) beyond which the writer itself checkpoints so the WAL can restart. */
    static final int WAL_RESET_FRAMES = 16_384;

    private final DataSource connections;
    private final ScheduledExecutorService thread;
    private LongSupplier committedTransactions;
    private long checkpointedAtTransaction;
    private volatile boolean writerCheckpointRequested;

    /** @param connections where the background checkpoints take a connection (the read pool) */
    WalCheckpointer(DataSource connections) {
        this.connections = connections;
        this.thread = Executors.newSingleThreadScheduledExecutor(PlatformDatabase.daemon("classtop-db-checkpoint"));
    }

    /** Starts the background checkpoints; {@code committedTransactions}: no commit since the last one, no checkpoint. */
    void start(LongSupplier committedTransactions) {
        this.committedTransactions = committedTransactions;
        thread.scheduleWithFixedDelay(this::checkpointIfCommitted, 250, 250, TimeUnit.MILLISECONDS);
    }

    /** Prepares the writer's connection: its commits do not checkpoint (this class does). */
    void prepareWriterConnection(Connection writer) throws SQLException {
        try (Statement st = writer.createStatement()) {
            st.execute("PRAGMA wal_autocheckpoint = 0");
        }
    }

    private void checkpointIfCommitted() {
        long tx = committedTransactions.getAsLong();
        if (tx == checkpointedAtTransaction) return;
        checkpointedAtTransaction = tx;
        checkpoint("PASSIVE");
    }

    private void checkpoint(String mode) {
        try (Connection c = connections.getConnection(); Statement st = c.createStatement();
             var rs = st.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
            // columns: busy, frames in the WAL, frames checkpointed
            if (rs.next() && rs.getInt(2) >= WAL_RESET_FRAMES) {
                writerCheckpointRequested = true;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("WAL checkpoint ({}) failed: {}", mode, PlatformDatabase.rootMessage(e));
        }
    }

    /**
     * Called by the writer thread between transactions: when asked for, a checkpoint that no commit
     * can race, so the WAL restarts.
     */
    void betweenTransactions(Connection writer) {
        if (!writerCheckpointRequested) return;
        writerCheckpointRequested = false;
        try (Statement st = writer.createStatement();
             var rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            if (rs.next() && rs.getInt(3) < rs.getInt(2)) {
                LOG.debug("WAL checkpoint on the writer left {} frames: readers hold older snapshots",
                        rs.getInt(2) - rs.getInt(3));
            }
        } catch (SQLException | RuntimeException e) {
            LOG.warn("WAL checkpoint on the writer failed: {}", PlatformDatabase.rootMessage(e));
        }
    }

    /** Stops the background checkpoints, then truncates the WAL (call after the writer stopped). */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        checkpoint("TRUNCATE");
    }
}
