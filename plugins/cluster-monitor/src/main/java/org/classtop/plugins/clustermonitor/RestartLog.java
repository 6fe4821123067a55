package org.classtop.plugins.clustermonitor;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import org.classtop.api.server.Database;

/**
 * The restart history in the platform database (table {@code cluster_monitor_restarts}): written through
 * the platform's single writer, read through its read pool.
 */
@Singleton
public final class RestartLog {
    static final int MAX_LIMIT = 500;
    private static final String COLUMNS = "id, server_id, server_name, channel_id, trigger_kind, requested_by, started_at, "
            + "finished_at, success, failed_step, stop_status, start_status, error_code, error";

    private final Database database;

    @Inject
    public RestartLog(Database database) {
        this.database = database;
    }

    /** Stores one restart; the stage completes once it is durable. */
    CompletionStage<Void> record(RestartRecord r) {
        return database.write(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO cluster_monitor_restarts (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, r.id());
                insert.setString(2, r.serverId());
                insert.setString(3, r.serverName());
                insert.setString(4, r.channelId());
                insert.setString(5, r.trigger());
                insert.setString(6, r.requestedBy());
                insert.setLong(7, r.startedAt().toEpochMilli());
                insert.setLong(8, r.finishedAt().toEpochMilli());
                insert.setInt(9, r.success() ? 1 : 0);
                insert.setString(10, r.failedStep());
                setInteger(insert, 11, r.stopStatus());
                setInteger(insert, 12, r.startStatus());
                insert.setString(13, r.errorCode());
                insert.setString(14, r.error());
                insert.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The latest restarts, newest first.
     *
     * @param serverId  only this server's, or null for all
     * @param channelId only this channel's, or null for all
     * @param trigger   only {@code manual} or {@code watchdog} ones, or null for all
     */
    List<RestartRecord> recent(String serverId, String channelId, String trigger, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM cluster_monitor_restarts WHERE 1 = 1");
        List<String> args = new ArrayList<>();
        if (serverId != null) {
            sql.append(" AND server_id = ?");
            args.add(serverId);
        }
        if (channelId != null) {
            sql.append(" AND channel_id = ?");
            args.add(channelId);
        }
        if (trigger != null) {
            sql.append(" AND trigger_kind = ?");
            args.add(trigger);
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ").append(Math.max(1, Math.min(limit, MAX_LIMIT)));
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                query.setString(i + 1, args.get(i));
            }
            return read(query);
        }
    }

    /** The watchdog's restarts that started at or after {@code since}, oldest first. */
    List<RestartRecord> watchdogSince(Instant since) throws SQLException {
        try (Connection connection = database.dataSource().getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM cluster_monitor_restarts"
                     + " WHERE trigger_kind = ? AND started_at >= ? ORDER BY started_at")) {
            query.setString(1, RestartRecord.WATCHDOG);
            query.setLong(2, since.toEpochMilli());
            return read(query);
        }
    }

    private static List<RestartRecord> read(PreparedStatement query) throws SQLException {
        List<RestartRecord> records = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                long started = rows.getLong("started_at");
                long finished = rows.getLong("finished_at");
                records.add(new RestartRecord(rows.getString("id"), rows.getString("server_id"),
                        rows.getString("server_name"), rows.getString("channel_id"), rows.getString("trigger_kind"),
                        rows.getString("requested_by"), Instant.ofEpochMilli(started), Instant.ofEpochMilli(finished),
                        finished - started, rows.getInt("success") == 1, rows.getString("failed_step"),
                        integer(rows, "stop_status"), integer(rows, "start_status"), rows.getString("error_code"),
                        rows.getString("error")));
            }
        }
        return records;
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static Integer integer(ResultSet rows, String column) throws SQLException {
        int value = rows.getInt(column);
        return rows.wasNull() ? null : value;
    }
}
