package org.classtop.plugins.managementsync.site;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.classtop.api.server.Database;

/**
 * What this LMS owes its management server, in the LMS's own database (table {@code msync_site_outbox}),
 * in the order it must be sent. Every write to the centre goes through it, so a centre that is down only makes
 * the outbox grow; it is sent, oldest first, once the centre answers again, and survives restarts.
 *
 * <p>An entry's row id never repeats (SQLite {@code AUTOINCREMENT}, a PostgreSQL sequence): it is the write's
 * {@code seq} / {@code sync_id}, so a write whose answer was lost and that is sent again is applied once.
 * An entry with a coalesce key (the heartbeat state, one client's registration or its synced data) replaces the
 * older entry of that key: only the latest state is owed. The outbox holds at most {@code max} entries; beyond it
 * the oldest coalescible entry is dropped first (then the oldest of any kind), and every drop is counted.
 */
@Singleton
public final class SiteOutbox {
    /** One entry, as read for sending. */
    public record Entry(long id, String kind, String coalesceKey, String body) {
    }

    private final Database database;
    private final SiteSettings settings;

    @Inject
    public SiteOutbox(Database database, SiteSettings settings) {
        this.database = database;
        this.settings = settings;
    }

    /** Adds an entry (replacing the one with the same {@code coalesceKey}); completes when it is durable. */
    public long add(String kind, String coalesceKey, String body) {
        int max = settings.outboxMax();
        return join(database.write(connection -> {
            if (coalesceKey != null) {
                try (PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM msync_site_outbox WHERE coalesce_key = ?")) {
                    delete.setString(1, coalesceKey);
                    delete.executeUpdate();
                }
            }
            long id;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO msync_site_outbox "
                    + "(kind, coalesce_key, body, created_at) VALUES (?, ?, ?, ?) RETURNING id")) {
                insert.setString(1, kind);
                insert.setString(2, coalesceKey);
                insert.setString(3, body);
                insert.setString(4, Instant.now().toString());
                try (ResultSet keys = insert.executeQuery()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            int over = count(connection) - max;
            if (over > 0) {
                int dropped = dropOldest(connection, over, true);
                if (dropped < over) {
                    dropped += dropOldest(connection, over - dropped, false);
                }
                bump(connection, "dropped", dropped);
            }
            return id;
        }));
    }

    /** The oldest {@code limit} entries, in sending order. */
    public List<Entry> oldest(int limit) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, kind, coalesce_key, body FROM msync_site_outbox ORDER BY id LIMIT ?")) {
            select.setInt(1, limit);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException("The outbox cannot be read: " + e.getMessage(), e);
        }
    }

    /** Removes a sent entry ({@code counter} {@code sent}) or one the centre refused for good ({@code rejected}). */
    public void remove(long id, String counter) {
        join(database.write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM msync_site_outbox WHERE id = ?")) {
                delete.setLong(1, id);
                if (delete.executeUpdate() == 1) {
                    bump(connection, counter, 1);
                }
            }
            return null;
        }));
    }

    public int size() {
        try (Connection connection = database.dataSource().getConnection()) {
            return count(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("The outbox cannot be read: " + e.getMessage(), e);
        }
    }

    /** A counter: {@code dropped} (outbox full), {@code rejected} (refused by the centre for good) or {@code sent}. */
    public long counter(String name) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT value FROM msync_site_counters WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? rows.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The outbox cannot be read: " + e.getMessage(), e);
        }
    }

    private static int count(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM msync_site_outbox");
             ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static int dropOldest(Connection connection, int n, boolean coalescibleOnly) throws SQLException {
        String where = coalescibleOnly ? " WHERE coalesce_key IS NOT NULL" : "";
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM msync_site_outbox WHERE id IN "
                + "(SELECT id FROM msync_site_outbox" + where + " ORDER BY id LIMIT ?)")) {
            delete.setInt(1, n);
            return delete.executeUpdate();
        }
    }

    private static void bump(Connection connection, String name, long by) throws SQLException {
        if (by == 0) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE msync_site_counters SET value = value + ? WHERE name = ?")) {
            update.setLong(1, by);
            update.setString(2, name);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO msync_site_counters (name, value) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setLong(2, by);
            insert.executeUpdate();
        }
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("The outbox cannot be written: " + cause.getMessage(), cause);
        }
    }
}
