package org.classtop.core.storage;

import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.concurrent.Semaphore;

/**
 * Run in a child JVM by {@link DurabilityTest}: writes rows 1, 2, 3, ... to the SQLite database in
 * {@code args[0]} and prints each id on its own line once its write stage completed, until killed.
 */
public final class DurabilityChild {
    private DurabilityChild() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, "UTF-8");
        PlatformDatabase db = PlatformDatabase.open(Path.of(args[0]), null);
        db.write(c -> {
            try (Statement st = c.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS durable (id BIGINT PRIMARY KEY, payload TEXT NOT NULL)");
            }
            return null;
        }).toCompletableFuture().join();
        out.println("READY");
        Semaphore inFlight = new Semaphore(2000);
        for (long i = 1; i < Long.MAX_VALUE; i++) {
            inFlight.acquire();
            long id = i;
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO durable (id, payload) VALUES (?, ?)")) {
                    ps.setLong(1, id);
                    ps.setString(2, "row " + id);
                    ps.executeUpdate();
                }
                return null;
            }).whenComplete((v, e) -> {
                if (e == null) out.println(id);
                else out.println("ERROR " + id + " " + e);
                inFlight.release();
            });
        }
    }
}
