package org.classtop.core.storage;

import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.classtop.core.storage.CommandLogRepository.CommandLogEntry;
import org.junit.jupiter.api.Test;

/**
 * Prints write throughput figures (no timed assertions). Run alone with
 * {@code mvn -pl platform-storage test -Dtest=*WriteThroughputTest -Dthroughput.writes=500000}.
 */
abstract class WriteThroughputReport extends DatabaseTestBase {

    private static final int WRITES = Integer.getInteger("throughput.writes", 100_000);

    @Test
    void printWriteThroughput() throws Exception {
        int writes = postgres() ? Math.max(1000, WRITES / 10) : WRITES;
        PlatformDatabase db = openMigrated();
        execute(db, "CREATE TABLE bench (id BIGINT PRIMARY KEY, v TEXT NOT NULL)");
        warmUp(db);

        // 1. simple inserts, 4 producer threads, up to 20,000 in flight
        long txBefore = db.committedTransactions();
        long t0 = System.nanoTime();
        Semaphore inFlight = new Semaphore(20_000);
        List<Thread> producers = new ArrayList<>();
        int threads = 4;
        for (int t = 0; t < threads; t++) {
            int base = 1_000_000 + t * writes;
            Thread p = new Thread(() -> {
                for (int i = 0; i < writes / threads; i++) {
                    inFlight.acquireUninterruptibly();
                    long id = base + i;
                    db.write(c -> {
                        try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench (id, v) VALUES (?, ?)")) {
                            ps.setLong(1, id);
                            ps.setString(2, "value " + id);
                            ps.executeUpdate();
                        }
                        return null;
                    }).whenComplete((v, e) -> inFlight.release());
                }
            });
            producers.add(p);
            p.start();
        }
        for (Thread p : producers) p.join();
        inFlight.acquireUninterruptibly(20_000);
        inFlight.release(20_000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long tx = db.committedTransactions() - txBefore;
        System.out.printf("[%s] simple inserts: %,d writes in %.2f s = %,.0f writes/s (%,d transactions, %.0f writes each)%n",
                db.dialect(), writes, seconds, writes / seconds, tx, (double) writes / tx);

        // 2. command-log appends through the repository (13 columns, JSON)
        CommandLogRepository log = new CommandLogRepository(db);
        int appends = writes / 2;
        t0 = System.nanoTime();
        Semaphore appendsInFlight = new Semaphore(20_000);
        for (int i = 0; i < appends; i++) {
            appendsInFlight.acquireUninterruptibly();
            Instant now = Instant.now();
            log.append(new CommandLogEntry(0, "req-" + i, "client-" + (i % 10_000), "get_setting",
                    Map.of("key", "theme"), true, "ok", Map.of("value", "dark"), null, "admin", now, now, 3L))
                    .whenComplete((v, e) -> appendsInFlight.release());
        }
        appendsInFlight.acquireUninterruptibly(20_000);
        seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[%s] command-log appends: %,d in %.2f s = %,.0f writes/s%n",
                db.dialect(), appends, seconds, appends / seconds);

        // 3. one caller waiting for each write (latency bound, no batching)
        int sequential = postgres() ? 500 : 5_000;
        t0 = System.nanoTime();
        for (int i = 0; i < sequential; i++) {
            long id = 10_000_000L + i;
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench (id, v) VALUES (?, 'x')")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                return null;
            }).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("[%s] sequential write-and-wait: %,.0f writes/s (%.0f us each)%n",
                db.dialect(), sequential / seconds, seconds * 1e6 / sequential);
        java.nio.file.Path wal = dataDir.resolve("classtop.db-wal");
        if (java.nio.file.Files.exists(wal)) {
            System.out.printf("[%s] WAL file: %,d KiB (restarts once checkpointed)%n", db.dialect(),
                    java.nio.file.Files.size(wal) / 1024);
        }
    }

    private static void warmUp(PlatformDatabase db) {
        List<CompletableFuture<Object>> warm = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long id = -1 - i;
            warm.add(db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench (id, v) VALUES (?, 'warm')")) {
                    ps.setLong(1, id);
                    ps.executeUpdate();
                }
                return null;
            }).toCompletableFuture());
        }
        CompletableFuture.allOf(warm.toArray(CompletableFuture[]::new)).join();
    }
}
