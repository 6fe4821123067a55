package ${package};

import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.classtop.api.server.Database;

/**
 * The table of db/${pluginId}/common/V1__greetings.sql (the same SQL on SQLite and PostgreSQL): writes go
 * through the platform's single writer, reads through its data source.
 */
final class Greetings {
    static final String TABLE = "${pluginId.replace('-', '_')}_greetings";
    private static final int NEWEST = 20;

    /** One greeting; records become JSON with snake_case names. */
    record Greeting(String said, long at) {
    }

    private final Database database;

    @Inject
    Greetings(Database database) {
        this.database = database;
    }

    CompletionStage<Greeting> add(String clientUuid, String said) {
        Greeting greeting = new Greeting(said, System.currentTimeMillis());
        return database.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO " + TABLE + " (client_uuid, said, said_at) VALUES (?, ?, ?)")) {
                insert.setString(1, clientUuid);
                insert.setString(2, greeting.said());
                insert.setLong(3, greeting.at());
                insert.executeUpdate();
            }
            return greeting;
        });
    }

    List<Greeting> of(String clientUuid) {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT said, said_at FROM " + TABLE
                     + " WHERE client_uuid = ? ORDER BY said_at DESC LIMIT " + NEWEST)) {
            select.setString(1, clientUuid);
            List<Greeting> greetings = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    greetings.add(new Greeting(rows.getString(1), rows.getLong(2)));
                }
            }
            return greetings;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the greetings of " + clientUuid + " failed.", e);
        }
    }
}
