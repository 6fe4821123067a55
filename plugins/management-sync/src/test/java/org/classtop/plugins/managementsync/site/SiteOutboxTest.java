package org.classtop.plugins.managementsync.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.classtop.api.PluginContext;
import org.classtop.api.server.ServerInfo;
import org.classtop.core.storage.PlatformDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox on a real SQLite file migrated by the plugin's own Flyway migration (PostgreSQL: the subclass). */
class SiteOutboxTest {
    @TempDir
    Path dataDir;

    PlatformDatabase database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    /** The database URL: null for the SQLite file in the data folder. */
    String jdbcUrl() {
        return null;
    }

    private SiteOutbox open(int max) {
        database = PlatformDatabase.open(dataDir, jdbcUrl());
        database.migrate("management-sync", getClass().getClassLoader());
        ServerInfo server = new ServerInfo() {
            public String role() {
                return "lms";
            }

            public String version() {
                return "test";
            }

            public Path dataDir() {
                return dataDir;
            }

            public Map<String, String> flags() {
                return Map.of();
            }
        };
        PluginContext plugin = new PluginContext() {
            public String pluginId() {
                return "management-sync";
            }

            public String version() {
                return "test";
            }

            public Path dataDir() {
                return dataDir.resolve("management-sync");
            }

            public Optional<String> config(String name) {
                return name.equals("outbox-max") ? Optional.of(Integer.toString(max)) : Optional.empty();
            }
        };
        return new SiteOutbox(database, new SiteSettings(server, plugin));
    }

    private static List<String> bodies(SiteOutbox outbox) {
        return outbox.oldest(1000).stream().map(SiteOutbox.Entry::body).toList();
    }

    @Test
    void keepsOrderAndGivesEveryEntryAGrowingIdThatIsNeverReused() {
        SiteOutbox outbox = open(100);
        long a = outbox.add("client", null, "a");
        long b = outbox.add("client", null, "b");
        long c = outbox.add("client", null, "c");
        assertTrue(a < b && b < c);
        assertEquals(List.of("a", "b", "c"), bodies(outbox));
        outbox.remove(c, "sent");
        long d = outbox.add("client", null, "d");
        assertTrue(d > c, "the id of a sent entry is not given again: it was the centre's seq");
        outbox.remove(a, "sent");
        outbox.remove(b, "rejected");
        assertEquals(List.of("d"), bodies(outbox));
        assertEquals(2, outbox.counter("sent"));
        assertEquals(1, outbox.counter("rejected"));
    }

    @Test
    void aNewerEntryWithTheSameKeyReplacesTheOlderAndGoesLast() {
        SiteOutbox outbox = open(100);
        outbox.add("heartbeat", "heartbeat", "hb-1");
        outbox.add("client", "client:pc-1", "pc-1 v1");
        outbox.add("heartbeat", "heartbeat", "hb-2");
        outbox.add("client", "client:pc-1", "pc-1 v2");
        assertEquals(List.of("hb-2", "pc-1 v2"), bodies(outbox));
        assertEquals(2, outbox.size());
        assertEquals(0, outbox.counter("dropped"));
    }

    @Test
    void isBoundedDroppingTheOldestCoalescibleEntryFirstAndCountsTheDrops() {
        SiteOutbox outbox = open(10);
        outbox.add("client", null, "keep-0");
        for (int i = 0; i < 12; i++) {
            outbox.add("sync", "sync:pc-" + i, "sync-" + i);
        }
        assertEquals(10, outbox.size());
        assertEquals(3, outbox.counter("dropped"));
        List<String> left = bodies(outbox);
        assertEquals("keep-0", left.get(0), "an entry without a key outlives older coalescible ones");
        assertEquals("sync-3", left.get(1));
        assertEquals("sync-11", left.get(9));

        for (int i = 0; i < 10; i++) {
            outbox.add("client", null, "plain-" + i);
        }
        assertEquals(10, outbox.size());
        assertEquals(13, outbox.counter("dropped"));
        assertEquals("plain-0", bodies(outbox).get(0), "with no coalescible entry left the oldest goes");
    }

    @Test
    void survivesARestartOfTheDatabase() {
        SiteOutbox outbox = open(100);
        long first = outbox.add("heartbeat", "heartbeat", "hb");
        outbox.add("client", "client:pc-1", "pc-1");
        outbox.remove(outbox.add("client", null, "gone"), "sent");
        database.close();

        SiteOutbox reopened = open(100);
        assertEquals(List.of("hb", "pc-1"), bodies(reopened));
        assertEquals(first, reopened.oldest(1).get(0).id());
        assertEquals(1, reopened.counter("sent"));
        assertTrue(reopened.add("client", null, "next") > first + 2);
    }
}
