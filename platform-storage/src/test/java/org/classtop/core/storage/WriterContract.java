package org.classtop.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

abstract class WriterContract extends DatabaseTestBase {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private PlatformDatabase withTable(PlatformDatabase db) {
        execute(db, "CREATE TABLE w_items (id BIGINT PRIMARY KEY, v TEXT NOT NULL)");
        return db;
    }

    private static CompletableFuture<Void> insert(PlatformDatabase db, long id) {
        return db.<Void>write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO w_items (id, v) VALUES (?, ?)")) {
                ps.setLong(1, id);
                ps.setString(2, "v" + id);
                ps.executeUpdate();
            }
            return null;
        }).toCompletableFuture();
    }

    /** Holds the writer inside a write until {@code release} opens; returns once the writer is held. */
    private static CompletableFuture<Object> holdWriter(PlatformDatabase db, CountDownLatch release) {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Object> blocker = db.write(c -> {
            started.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }).toCompletableFuture();
        try {
            assertTrue(started.await(30, TimeUnit.SECONDS), "the writer should start the blocking write");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return blocker;
    }

    @Test
    void concurrentWritesAllLandInFewTransactions() throws Exception {
        PlatformDatabase db = withTable(open());
        int threads = 8;
        int perThread = 1000;
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = holdWriter(db, release);
        long transactionsBefore = db.committedTransactions();

        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<CompletableFuture<Void>>>> submitted = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            submitted.add(pool.submit(() -> {
                List<CompletableFuture<Void>> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) mine.add(insert(db, base + i));
                return mine;
            }));
        }
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Future<List<CompletableFuture<Void>>> f : submitted) all.addAll(f.get());
        pool.shutdown();
        assertEquals(threads * perThread + 1, db.pendingWrites());
        release.countDown();

        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        blocker.get(10, TimeUnit.SECONDS);
        assertEquals(threads * perThread, count(db, "w_items"));
        long transactions = db.committedTransactions() - transactionsBefore;
        int maxBatch = db.maxBatchSize();
        long expectedMax = (threads * perThread + 1 + maxBatch - 1) / maxBatch + 1;
        assertTrue(transactions <= expectedMax, transactions + " transactions for " + threads * perThread
                + " queued writes (batch " + maxBatch + ")");
        assertEquals(0, db.pendingWrites());
    }

    @Test
    void aFailingWriteIsRolledBackAloneAndTheOthersCommit() throws Exception {
        PlatformDatabase db = withTable(open());
        insert(db, 1_000_000).join(); // for duplicate-key failures
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = holdWriter(db, release);
        long transactionsBefore = db.committedTransactions();

        List<CompletableFuture<Void>> stages = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long id = i;
            if (i % 10 == 3) {
                // writes a row, then fails in Java: the row must be rolled back
                stages.add(db.<Void>write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO w_items (id, v) VALUES (?, 'partial')")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                    }
                    throw new IllegalStateException("boom " + id);
                }).toCompletableFuture());
            } else if (i % 10 == 7) {
                // writes a row, then fails in SQL (duplicate key): PostgreSQL's aborted state must be undone
                stages.add(db.<Void>write(c -> {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO w_items (id, v) VALUES (?, 'partial')")) {
                        ps.setLong(1, id);
                        ps.executeUpdate();
                        ps.setLong(1, 1_000_000);
                        ps.executeUpdate();
                    }
                    return null;
                }).toCompletableFuture());
            } else {
                stages.add(insert(db, id));
            }
        }
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        for (int i = 0; i < stages.size(); i++) {
            CompletableFuture<Void> stage = stages.get(i);
            try {
                stage.get(30, TimeUnit.SECONDS);
                assertTrue(i % 10 != 3 && i % 10 != 7, "write " + i + " should have failed");
            } catch (java.util.concurrent.ExecutionException e) {
                if (i % 10 == 3) {
                    assertInstanceOf(IllegalStateException.class, e.getCause());
                    assertEquals("boom " + i, e.getCause().getMessage());
                } else {
                    assertEquals(7, i % 10, "write " + i + " should have succeeded: " + e.getCause());
                    assertInstanceOf(SQLException.class, e.getCause());
                }
            }
        }
        assertEquals(48 + 1, count(db, "w_items"));
        assertEquals(0, count(db, "w_items WHERE v = 'partial'"));
        long transactions = db.committedTransactions() - transactionsBefore;
        assertTrue(transactions <= (61 + db.maxBatchSize() - 1) / db.maxBatchSize() + 1,
                "the 60 writes should share transactions, took " + transactions);
        // the writer is healthy afterwards
        insert(db, 999).get(30, TimeUnit.SECONDS);
    }

    @Test
    void stagesCompleteOffTheWriterThreadAndASlowCallbackDoesNotStallIt() throws Exception {
        PlatformDatabase db = withTable(open());
        AtomicReference<String> callbackThread = new AtomicReference<>();
        AtomicReference<String> writerThread = new AtomicReference<>();
        CountDownLatch unblockCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = holdWriter(db, release);
        CompletableFuture<Object> first = db.write(c -> {
            writerThread.set(Thread.currentThread().getName());
            return (Object) "first";
        }).toCompletableFuture();
        CompletableFuture<Object> slow = first.thenApply(v -> {
            callbackThread.set(Thread.currentThread().getName());
            try {
                unblockCallback.await(30, TimeUnit.SECONDS); // a callback that blocks
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return v;
        });
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        await("the callback to run", WAIT, () -> callbackThread.get() != null);
        assertEquals("classtop-db-writer", writerThread.get());
        assertEquals("classtop-db-complete", callbackThread.get());

        // while that callback blocks the completion thread, writes still commit
        for (int i = 0; i < 100; i++) insert(db, i);
        await("writes to commit while a callback blocks", WAIT, () -> count(db, "w_items") == 100);
        unblockCallback.countDown();
        assertEquals("first", slow.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aFullQueueFailsTheWriteAtOnceWithAClearMessage() throws Exception {
        PlatformDatabase db = withTable(open(PlatformDatabase.Options.defaults().withQueueCapacity(10)));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = holdWriter(db, release);
        List<CompletableFuture<Void>> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) accepted.add(insert(db, i));
        List<CompletableFuture<Void>> rejected = new ArrayList<>();
        for (int i = 10; i < 15; i++) rejected.add(insert(db, i));
        for (CompletableFuture<Void> r : rejected) {
            assertTrue(r.isCompletedExceptionally(), "a write beyond the queue's capacity fails at once");
            CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, r::join);
            assertInstanceOf(StorageException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("write queue is full"), e.getCause().getMessage());
        }
        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        CompletableFuture.allOf(accepted.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        assertEquals(10, count(db, "w_items"));
    }

    @Test
    void closeRunsAndCommitsEverythingQueued() throws Exception {
        PlatformDatabase db = withTable(open());
        int n = 20_000;
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = holdWriter(db, release);
        List<CompletableFuture<Void>> stages = new ArrayList<>(n);
        for (int i = 0; i < n; i++) stages.add(insert(db, i));
        Thread closer = new Thread(db::close, "closer");
        closer.start();
        // close() stops accepting at once...
        await("close() to refuse new writes", WAIT, () -> {
            CompletableFuture<Object> probe = db.write(c -> null).toCompletableFuture();
            return probe.isCompletedExceptionally();
        });
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> db.write(c -> null).toCompletableFuture().join());
        assertTrue(refused.getCause().getMessage().contains("closed"), refused.getCause().getMessage());
        // ...and drains what was queued before returning
        release.countDown();
        closer.join(60_000);
        assertFalse(closer.isAlive(), "close() should return once the queue is drained");
        assertNull(blocker.getNow("not done"));
        for (CompletableFuture<Void> s : stages) {
            assertTrue(s.isDone() && !s.isCompletedExceptionally(), "every queued write completes normally");
        }
        PlatformDatabase reopened = open();
        assertEquals(n, count(reopened, "w_items"));
    }

    @Test
    void writeWorkCannotTakeOverTheTransaction() throws Exception {
        PlatformDatabase db = withTable(open());
        CompletableFuture<Object> commit = db.write(c -> {
            c.commit();
            return null;
        }).toCompletableFuture();
        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> commit.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("not allowed"), e.getCause().getMessage());
        // close() on the given connection is ignored: the next write still works
        db.write(c -> {
            c.close();
            return null;
        }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        insert(db, 1).get(30, TimeUnit.SECONDS);
        assertEquals(1, count(db, "w_items"));
        assertSame(Boolean.TRUE, db.write(c -> !c.isClosed()).toCompletableFuture().get(30, TimeUnit.SECONDS));
    }

    @Test
    void aWriteIsVisibleToReadersOnceItsStageCompletes() throws Exception {
        PlatformDatabase db = withTable(open());
        for (int i = 0; i < 200; i++) {
            insert(db, i).get(30, TimeUnit.SECONDS);
            assertEquals(i + 1, count(db, "w_items"));
        }
        assertEquals(200 + 1, db.committedWrites()); // the CREATE TABLE too
    }

    @Test
    void anOnCommittedCallbackIsToldOnTheWriterThreadAfterTheCommit() throws Exception {
        PlatformDatabase db = withTable(open(PlatformDatabase.Options.defaults().withQueueCapacity(10)));
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Object> blocker = holdWriter(db, release);
        List<String> told = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicReference<String> visibleToReaders = new AtomicReference<>();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO w_items (id, v) VALUES (1, 'one')")) {
                ps.executeUpdate();
            }
            return null;
        }, error -> {
            // committed already: a reader sees the row while the writer is still in this callback
            visibleToReaders.set(count(db, "w_items WHERE id = 1") + " " + Thread.currentThread().getName() + " " + error);
            told.add("ok");
        });
        // a failing write of the same batch: only its callback hears of the failure, the other row stays
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO w_items (id, v) VALUES (1, 'again')")) {
                ps.executeUpdate();
            }
            return null;
        }, error -> told.add(error == null ? "no error" : "failed: " + error.getClass().getSimpleName()));
        // a callback that throws is logged; the writer goes on
        db.write(c -> null, error -> {
            throw new IllegalStateException("a careless callback");
        });
        CompletableFuture<Void> after = insert(db, 2);
        for (int i = 3; i < 9; i++) insert(db, i);
        // the queue is full: a rejected write is told at once, on the caller's thread
        AtomicReference<String> rejected = new AtomicReference<>();
        db.write(c -> null, error -> rejected.set(Thread.currentThread().getName() + ": " + error.getMessage()));
        assertEquals(Thread.currentThread().getName() + ": The database write queue is full (10 writes waiting);"
                + " the write was not run", rejected.get());
        assertTrue(told.isEmpty(), "nothing is told before the commit");

        release.countDown();
        blocker.get(30, TimeUnit.SECONDS);
        after.get(30, TimeUnit.SECONDS);
        await("both callbacks", WAIT, () -> told.size() == 2);
        assertEquals("1 classtop-db-writer null", visibleToReaders.get());
        assertEquals("ok", told.get(0));
        assertTrue(told.get(1).startsWith("failed: "), told.toString());
        assertEquals(8, count(db, "w_items"));

        db.close();
        AtomicReference<Throwable> closed = new AtomicReference<>();
        db.write(c -> null, closed::set);
        assertInstanceOf(StorageException.class, closed.get());
        assertTrue(closed.get().getMessage().contains("closed"), closed.get().getMessage());
    }

    @Test
    void writesArrivingOneByOneWhileTheWriterIsBusyShareTransactions() throws Exception {
        PlatformDatabase db = withTable(open());
        // Each write keeps the writer busy for 0.6 ms and the next one comes 1 ms after the previous: without
        // gathering each would commit alone (the writer is idle when it arrives); busy 60 % of the time, the writer
        // waits up to twice a batch's time for more.
        int writes = 400;
        long transactionsBefore = db.committedTransactions();
        List<CompletableFuture<Object>> all = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < writes; i++) {
            long id = i;
            all.add(db.write(c -> {
                long until = System.nanoTime() + 600_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO w_items (id, v) VALUES (?, 'x')")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                return null;
            }).toCompletableFuture());
            LockSupport.parkNanos(start + (i + 1) * 1_000_000L - System.nanoTime());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        long transactions = db.committedTransactions() - transactionsBefore;
        assertEquals(writes, count(db, "w_items"));
        assertTrue(transactions < writes / 2, transactions + " transactions for " + writes + " writes");
    }
}
