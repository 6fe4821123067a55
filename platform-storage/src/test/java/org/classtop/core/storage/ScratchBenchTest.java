package org.classtop.core.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

class ScratchBenchTest {
    @TempDir Path dir;

    @Test
    void raw() throws Exception {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        try (Connection c = cfg.createConnection("jdbc:sqlite:" + dir.resolve("x.db"))) {
            try (Statement st = c.createStatement()) { st.execute("CREATE TABLE bench (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"); }
            PreparedStatement begin = c.prepareStatement("BEGIN IMMEDIATE");
            PreparedStatement commit = c.prepareStatement("COMMIT");
            PreparedStatement sp = c.prepareStatement("SAVEPOINT w");
            PreparedStatement rel = c.prepareStatement("RELEASE SAVEPOINT w");
            PreparedStatement cached = c.prepareStatement("INSERT INTO bench (id, v) VALUES (?, ?)");
            long id = 0;
            for (int round = 0; round < 3; round++) {
                for (int mode = 0; mode < 4; mode++) {
                    int n = 100_000;
                    long t0 = System.nanoTime();
                    for (int b = 0; b < n / 1000; b++) {
                        begin.execute();
                        for (int i = 0; i < 1000; i++) {
                            if (mode >= 1) sp.execute();
                            if (mode == 3) {
                                cached.setLong(1, id++); cached.setString(2, "value " + id); cached.executeUpdate();
                            } else if (mode == 2) {
                                try (Statement s = c.createStatement()) { s.executeUpdate("INSERT INTO bench (id, v) VALUES (" + (id++) + ", 'v')"); }
                            } else {
                                try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench (id, v) VALUES (?, ?)")) {
                                    ps.setLong(1, id++); ps.setString(2, "value " + id); ps.executeUpdate();
                                }
                            }
                            if (mode >= 1) rel.execute();
                        }
                        commit.execute();
                    }
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.out.printf("mode %d: %,.0f/s%n", mode, n / s);
                }
            }
        }
    }
}
