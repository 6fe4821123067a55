package org.classtop.plugins.videosources;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.classtop.api.server.Database;

/** The sources, kept in the plugin's table {@code video_sources} so they survive a restart. */
@Singleton
final class SourceStore {
    record Row(String id, String url, String format, long createdAt) {
    }

    private final Database database;

    @Inject
    SourceStore(Database database) {
        this.database = database;
    }

    List<Row> all() throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT id, url, format, created_at FROM video_sources ORDER BY created_at, id");
             ResultSet result = select.executeQuery()) {
            while (result.next()) {
                rows.add(new Row(result.getString(1), result.getString(2), result.getString(3), result.getLong(4)));
            }
        }
        return rows;
    }

    /** Inserts and waits until it is durable. */
    void insert(Row row) {
        join(database.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO video_sources (id, url, format, created_at) VALUES (?, ?, ?, ?)")) {
                insert.setString(1, row.id());
                insert.setString(2, row.url());
                insert.setString(3, row.format());
                insert.setLong(4, row.createdAt());
                return insert.executeUpdate();
            }
        }));
    }

    void delete(String id) {
        join(database.write(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM video_sources WHERE id = ?")) {
                delete.setString(1, id);
                return delete.executeUpdate();
            }
        }));
    }

    private static void join(java.util.concurrent.CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
