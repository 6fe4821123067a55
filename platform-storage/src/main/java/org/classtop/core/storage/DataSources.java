package org.classtop.core.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import org.classtop.api.server.Database.Dialect;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database's two connection pools: {@link #reads()} for readers (and code that runs its own
 * transaction) and {@link #writes()}, one connection, for the {@link GroupCommitWriter}. On SQLite
 * both open the same file in WAL mode, so readers read while the writer writes.
 */
final class DataSources implements AutoCloseable {
    static final String SQLITE_FILE = "classtop.db";
    /**
     * The writer's page cache. Every command adds entries at a different place of the command log's per-client
     * index (one client's rows sit together), so the writer touches one leaf page per client it writes for; with
     * SQLite's default 2 MiB those pages were read again from the file for most commands (a pread each).
     */
    private static final int WRITER_CACHE_KIB = 8 * 1024;
    /** SQLite's default, per read connection. */
    private static final int READER_CACHE_KIB = 2 * 1024;

    private final Dialect dialect;
    private final String description;
    private final HikariDataSource reads;
    private final HikariDataSource writes;

    private DataSources(Dialect dialect, String description, HikariDataSource reads, HikariDataSource writes) {
        this.dialect = dialect;
        this.description = description;
        this.reads = reads;
        this.writes = writes;
    }

    /**
     * {@code jdbcUrl} null or blank: the SQLite file {@code <dataDir>/classtop.db}; a {@code jdbc:sqlite:} URL:
     * that file (its folder created); a {@code jdbc:postgresql:} URL: PostgreSQL. Creates {@code dataDir}.
     */
    static DataSources open(Path dataDir, String jdbcUrl, PlatformDatabase.Options options) {
        if (dataDir != null) {
            try {
                Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the data folder " + dataDir + ": " + e.getMessage(), e);
            }
        }
        String url = jdbcUrl == null ? "" : jdbcUrl.trim();
        if (url.isEmpty()) {
            if (dataDir == null) throw new IllegalArgumentException("A data folder or a database URL is required");
            return open(Dialect.SQLITE, "jdbc:sqlite:" + dataDir.resolve(SQLITE_FILE).toAbsolutePath(), options);
        }
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:sqlite:")) {
            String file = url.substring("jdbc:sqlite:".length());
            int query = file.indexOf('?');
            Path path = Path.of(query >= 0 ? file.substring(0, query) : file);
            try {
                Path parent = path.toAbsolutePath().getParent();
                if (parent != null) Files.createDirectories(parent);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the folder of " + path + ": " + e.getMessage(), e);
            }
            return open(Dialect.SQLITE, url, options);
        }
        if (lower.startsWith("jdbc:postgresql:")) {
            return open(Dialect.POSTGRESQL, url, options);
        }
        throw new IllegalArgumentException("Unsupported database URL " + redact(url)
                + ": use a jdbc:postgresql: URL, or none for SQLite in the data folder");
    }

    private static DataSources open(Dialect dialect, String url, PlatformDatabase.Options options) {
        String description = redact(url);
        HikariDataSource reads = null;
        HikariDataSource writes = null;
        try {
            if (dialect == Dialect.SQLITE) {
                writes = sqlitePool("classtop-db-write", url, 1, options.busyTimeoutMillis(), false, WRITER_CACHE_KIB);
                // The writer's first connection switches the file to WAL before readers open.
                try (Connection c = writes.getConnection()) {
                    c.isValid(1);
                }
                reads = sqlitePool("classtop-db-read", url, options.readPoolSize(), options.busyTimeoutMillis(), true,
                        READER_CACHE_KIB);
            } else {
                writes = postgresPool("classtop-db-write", url, 1);
                reads = postgresPool("classtop-db-read", url, options.readPoolSize());
            }
        } catch (RuntimeException | SQLException e) {
            if (reads != null) reads.close();
            if (writes != null) writes.close();
            throw new StorageException("Cannot open the database " + description + ": "
                    + PlatformDatabase.rootMessage(e), e);
        }
        return new DataSources(dialect, description, reads, writes);
    }

    private static HikariDataSource sqlitePool(String name, String url, int size, int busyTimeoutMillis,
                                               boolean generatedKeys, int cacheKiB) {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(busyTimeoutMillis);
        config.enforceForeignKeys(true);
        // A transaction begun through setAutoCommit(false) takes the write lock at once, so a
        // read-then-write transaction can't fail with SQLITE_BUSY_SNAPSHOT; plain reads run in
        // auto-commit and take no lock.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        // getGeneratedKeys() costs a regex and a SELECT after every statement: off for the writer
        // (use INSERT ... RETURNING, which works on both databases).
        config.setGetGeneratedKeys(generatedKeys);
        config.setJournalSizeLimit(64 * 1024 * 1024);
        config.setCacheSize(-cacheKiB); // negative: KiB, not pages; filled only as pages are used
        SQLiteDataSource ds = new SQLiteDataSource(config);
        ds.setUrl(url);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDataSource(ds);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(30_000);
        return new HikariDataSource(hc);
    }

    private static HikariDataSource postgresPool(String name, String url, int size) {
        HikariConfig hc = new HikariConfig();
        hc.setPoolName(name);
        hc.setDriverClassName("org.postgresql.Driver");
        hc.setJdbcUrl(url);
        hc.setMaximumPoolSize(size);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(true);
        hc.setConnectionTimeout(10_000);
        return new HikariDataSource(hc);
    }

    Dialect dialect() {
        return dialect;
    }

    /** The database, for logs: a URL without password. */
    String description() {
        return description;
    }

    HikariDataSource reads() {
        return reads;
    }

    HikariDataSource writes() {
        return writes;
    }

    @Override
    public void close() {
        reads.close();
        writes.close();
    }

    /** A URL fit for logs: the value of any password parameter and any user-info are masked. */
    static String redact(String url) {
        if (url == null) return null;
        String s = url.replaceAll("(?i)(password=)[^&;]*", "$1***");
        return s.replaceAll("(//[^/@:]*):[^/@]*@", "$1:***@");
    }
}
