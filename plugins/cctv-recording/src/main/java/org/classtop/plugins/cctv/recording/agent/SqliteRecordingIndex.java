package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.classtop.api.Registration;
import org.classtop.plugins.cctv.recording.Recording;
import org.classtop.plugins.cctv.recording.RecordingIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The index in {@code recordings.db} (SQLite, WAL) in cctv-recording's data folder, with the persisted recording
 * state per camera. One writer connection, used under this object's lock; reads open their own connections.
 * The driver is bundled in cctv-recording's jar and created directly (no DriverManager across class loaders).
 */
final class SqliteRecordingIndex implements RecordingIndex {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteRecordingIndex.class);
    private static final String COLUMNS = "id, camera_id, start_ms, end_ms, bytes, path";

    private final RecordingSettings settings;
    private final ActiveSegments active;
    private volatile SQLiteDataSource dataSource;
    private Connection writer;
    private volatile Path root;
    private volatile Path realRoot;
    private volatile boolean closed;
    private final List<Consumer<Recording>> listeners = new CopyOnWriteArrayList<>();
    /** Serialises reconciliations; the index lock itself is taken only for each row written. */
    private final Object reconciling = new Object();

    @Inject
    SqliteRecordingIndex(RecordingSettings settings, ActiveSegments active) {
        this.settings = settings;
        this.active = active;
    }

    /**
     * Opens (once) the database and creates the root; every method calls it, so the first use opens. Once open it
     * takes no lock, so reads never wait for a write or a reconciliation.
     */
    void open() {
        if (dataSource == null || closed) {
            openNow();
        }
    }

    private synchronized void openNow() {
        if (closed) {
            throw new IllegalStateException("The recordings index is closed (cctv-recording is stopping).");
        }
        if (writer != null) {
            return;
        }
        try {
            root = settings.root();
            Files.createDirectories(root);
            realRoot = root.toRealPath();
            Path db = settings.database();
            Files.createDirectories(db.getParent());
            SQLiteConfig config = new SQLiteConfig();
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
            config.setBusyTimeout(10_000);
            SQLiteDataSource ds = new SQLiteDataSource(config);
            ds.setUrl("jdbc:sqlite:" + db.toAbsolutePath());
            Connection connection = ds.getConnection();
            try (Statement s = connection.createStatement()) {
                s.executeUpdate("CREATE TABLE IF NOT EXISTS recordings (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " camera_id TEXT NOT NULL, start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL,"
                        + " bytes INTEGER NOT NULL, path TEXT NOT NULL UNIQUE)");
                s.executeUpdate("CREATE INDEX IF NOT EXISTS recordings_by_start ON recordings (start_ms)");
                s.executeUpdate("CREATE INDEX IF NOT EXISTS recordings_by_camera ON recordings (camera_id, start_ms)");
                s.executeUpdate("CREATE TABLE IF NOT EXISTS recording_state (camera_id TEXT PRIMARY KEY,"
                        + " segment_seconds INTEGER NOT NULL, since_ms INTEGER NOT NULL)");
            }
            writer = connection;
            dataSource = ds; // last: a reader that sees it sees everything above
        } catch (IOException e) {
            throw new UncheckedIOException("The recordings folder " + settings.root() + " cannot be used: " + e.getMessage(), e);
        } catch (SQLException e) {
            throw new IllegalStateException("The recordings index " + settings.database() + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /** Closes the index for good: every later call fails with a sentence (no silent reopening). */
    synchronized void close() {
        closed = true;
        dataSource = null;
        if (writer != null) {
            try {
                writer.close();
            } catch (SQLException e) {
                LOG.warn("[cctv-recording] closing the index: {}", e.getMessage());
            }
            writer = null;
        }
    }

    private Connection reader() throws SQLException {
        open();
        SQLiteDataSource ds = dataSource;
        if (ds == null) {
            throw new IllegalStateException("The recordings index is closed (cctv-recording is stopping).");
        }
        return ds.getConnection();
    }

    @Override
    public Path root() {
        open();
        return root;
    }

    /** The path of {@code file} relative to the root, with {@code /}. */
    String relative(Path file) {
        return root().relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** Indexes a segment a recorder finished, then tells the {@link #onSegmentAdded} listeners (outside the lock). */
    Recording add(String cameraId, Instant start, Instant end, long bytes, Path file) {
        Recording row;
        synchronized (this) {
            open();
            row = insert(cameraId, start, end, bytes, relative(file));
        }
        for (Consumer<Recording> listener : listeners) {
            try {
                listener.accept(row);
            } catch (RuntimeException e) {
                LOG.warn("[cctv-recording] a listener of finished segments failed: {}", e.toString());
            }
        }
        return row;
    }

    @Override
    public Registration onSegmentAdded(Consumer<Recording> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Under the lock: like add, but nothing when the path is indexed already (a segment finished meanwhile). */
    private synchronized Optional<Recording> addIfAbsent(String cameraId, Instant start, Instant end, long bytes, Path file) {
        open();
        String path = relative(file);
        try (PreparedStatement q = writer.prepareStatement("SELECT 1 FROM recordings WHERE path = ?")) {
            q.setString(1, path);
            try (ResultSet r = q.executeQuery()) {
                if (r.next()) {
                    return Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The recordings index could not be read: " + e.getMessage(), e);
        }
        return Optional.of(insert(cameraId, start, end, bytes, path));
    }

    private Recording insert(String cameraId, Instant start, Instant end, long bytes, String path) {
        try (PreparedStatement insert = writer.prepareStatement(
                "INSERT INTO recordings (camera_id, start_ms, end_ms, bytes, path) VALUES (?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            insert.setString(1, cameraId);
            insert.setLong(2, start.toEpochMilli());
            insert.setLong(3, end.toEpochMilli());
            insert.setLong(4, bytes);
            insert.setString(5, path);
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return new Recording(keys.getLong(1), cameraId, start, end, bytes, path);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The recordings index could not add " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<Recording> list(String cameraId, Instant from, Instant to, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM recordings WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (cameraId != null) {
            sql.append(" AND camera_id = ?");
            args.add(cameraId);
        }
        if (from != null) {
            sql.append(" AND end_ms >= ?");
            args.add(from.toEpochMilli());
        }
        if (to != null) {
            sql.append(" AND start_ms <= ?");
            args.add(to.toEpochMilli());
        }
        sql.append(" ORDER BY start_ms DESC, id DESC LIMIT ?");
        args.add(limit);
        return query(sql.toString(), args);
    }

    @Override
    public List<Recording> oldestFirst() {
        return query("SELECT " + COLUMNS + " FROM recordings ORDER BY start_ms, id", List.of());
    }

    @Override
    public Optional<Recording> get(long id) {
        return query("SELECT " + COLUMNS + " FROM recordings WHERE id = ?", List.of(id)).stream().findFirst();
    }

    private List<Recording> query(String sql, List<Object> args) {
        try (Connection c = reader(); PreparedStatement q = c.prepareStatement(sql)) {
            for (int i = 0; i < args.size(); i++) {
                q.setObject(i + 1, args.get(i));
            }
            List<Recording> rows = new ArrayList<>();
            try (ResultSet r = q.executeQuery()) {
                while (r.next()) {
                    rows.add(new Recording(r.getLong(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                            Instant.ofEpochMilli(r.getLong(4)), r.getLong(5), r.getString(6)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("The recordings index could not be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Path fileOf(Recording recording) throws IOException {
        Path file = lexical(recording.path());
        Path real = file.toRealPath();
        if (!real.startsWith(realRoot) || !Files.isRegularFile(real)) {
            throw new IOException("The file of recording " + recording.id() + " is not inside the recordings folder.");
        }
        return real;
    }

    /** The row's path joined to the root without following links; refused when it leaves the root. */
    private Path lexical(String relative) throws IOException {
        Path file = root().resolve(relative).normalize();
        if (!file.startsWith(root) || file.equals(root)) {
            throw new IOException("The path " + relative + " is not inside the recordings folder.");
        }
        return file;
    }

    @Override
    public synchronized Optional<Recording> delete(long id) throws IOException {
        Optional<Recording> row = get(id);
        if (row.isEmpty()) {
            return row;
        }
        Path file;
        try {
            file = lexical(row.get().path());
        } catch (IOException e) {
            file = null; // a row that points outside the root loses its row, never a file elsewhere
        }
        if (file != null) {
            Files.deleteIfExists(file); // a symbolic link is removed itself, never its target
        }
        dropRow(id);
        return row;
    }

    private synchronized void dropRow(long id) {
        open();
        try (PreparedStatement delete = writer.prepareStatement("DELETE FROM recordings WHERE id = ?")) {
            delete.setLong(1, id);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("The recordings index could not drop row " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public List<CameraUsage> usage() {
        try (Connection c = reader(); PreparedStatement q = c.prepareStatement("SELECT camera_id, SUM(bytes), COUNT(*),"
                + " MIN(start_ms), MAX(start_ms) FROM recordings GROUP BY camera_id ORDER BY camera_id");
             ResultSet r = q.executeQuery()) {
            List<CameraUsage> usage = new ArrayList<>();
            while (r.next()) {
                usage.add(new CameraUsage(r.getString(1), r.getLong(2), r.getLong(3), Instant.ofEpochMilli(r.getLong(4)),
                        Instant.ofEpochMilli(r.getLong(5))));
            }
            return usage;
        } catch (SQLException e) {
            throw new IllegalStateException("The recordings index could not be read: " + e.getMessage(), e);
        }
    }

    /** Whether {@code file} (absolute) is a segment being written right now. */
    boolean isBeingWritten(Path file) {
        return active.contains(file);
    }

    /**
     * Runs outside the index lock (FFmpeg repairs and probes take seconds; a recorder finishing a segment must not
     * wait for them): only each row added or dropped takes it. Two reconciliations never run at once.
     */
    @Override
    public Reconciliation reconcile() throws IOException {
        synchronized (reconciling) {
            return reconcileNow();
        }
    }

    private Reconciliation reconcileNow() throws IOException {
        open();
        int indexed = 0;
        int removed = 0;
        int dropped = 0;
        int folders = 0;
        Set<String> known = new HashSet<>();
        for (Recording row : oldestFirst()) {
            Path file;
            try {
                file = lexical(row.path());
            } catch (IOException e) {
                file = null;
            }
            if (file == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                dropRow(row.id());
                dropped++;
                LOG.info("[cctv-recording] dropped index row {}: its file {} is gone", row.id(), row.path());
            } else {
                known.add(row.path());
            }
        }
        List<Path> cameraFolders = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)
                        && SegmentNames.CAMERA_ID.matcher(dir.getFileName().toString()).matches()) {
                    cameraFolders.add(dir);
                }
            }
        }
        for (Path dir : cameraFolders) {
            String cameraId = dir.getFileName().toString();
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
                entries.forEach(files::add);
            }
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || active.contains(file)) {
                    continue;
                }
                if (name.endsWith(".mp4.tmp")) { // a repair that did not finish
                    Files.deleteIfExists(file);
                    continue;
                }
                Optional<SegmentNames.Parsed> parsed = SegmentNames.parse(name).filter(p -> p.cameraId().equals(cameraId));
                if (parsed.isEmpty() || known.contains(relative(file))) {
                    continue; // not a segment of ours, or indexed
                }
                switch (adopt(file, parsed.get())) {
                    case INDEXED -> indexed++;
                    case REMOVED -> removed++;
                    case ALREADY -> { }
                }
            }
            if (!active.cameraRecording(cameraId)) {
                try (DirectoryStream<Path> left = Files.newDirectoryStream(dir)) {
                    if (!left.iterator().hasNext()) {
                        Files.delete(dir);
                        folders++;
                    }
                } catch (NoSuchFileException | java.nio.file.DirectoryNotEmptyException e) {
                    // gone or filled meanwhile
                }
            }
        }
        return new Reconciliation(indexed, removed, dropped, folders);
    }

    /** Indexes a readable orphan (a {@code .part} is repaired into its final name first); deletes an unreadable one. */
    private enum Adopted { INDEXED, REMOVED, ALREADY }

    private Adopted adopt(Path file, SegmentNames.Parsed parsed) throws IOException {
        Path target = file;
        if (parsed.part()) {
            String name = file.getFileName().toString();
            target = file.resolveSibling(name.substring(0, name.length() - SegmentNames.PART.length()));
            for (int n = 1; Files.exists(target, LinkOption.NOFOLLOW_LINKS); n++) {
                target = file.resolveSibling(SegmentNames.name(parsed.cameraId(), parsed.start(), n));
            }
            boolean repaired = VideoFiles.repair(file, target);
            Files.deleteIfExists(file);
            if (!repaired) {
                LOG.info("[cctv-recording] removed {}: FFmpeg cannot read it", relative(file));
                return Adopted.REMOVED;
            }
        }
        VideoFiles.Probe probe = VideoFiles.probe(target);
        if (!probe.playable()) {
            Files.deleteIfExists(target);
            LOG.info("[cctv-recording] removed {}: FFmpeg cannot read it", relative(target));
            return Adopted.REMOVED;
        }
        Optional<Recording> added = addIfAbsent(parsed.cameraId(), parsed.start(),
                parsed.start().plusMillis(probe.durationMillis()), Files.size(target), target);
        if (added.isEmpty()) {
            return Adopted.ALREADY; // its recorder indexed it while it was probed
        }
        Recording row = added.get();
        LOG.info("[cctv-recording] indexed {} as recording {} ({} frames)", row.path(), row.id(), probe.videoPackets());
        return Adopted.INDEXED;
    }

    // --- the recording state per camera, so that recording resumes after a restart ---

    record State(String cameraId, int segmentSeconds, Instant since) {
    }

    synchronized void saveState(State state) {
        open();
        try (PreparedStatement upsert = writer.prepareStatement("INSERT INTO recording_state (camera_id, segment_seconds,"
                + " since_ms) VALUES (?, ?, ?) ON CONFLICT (camera_id) DO UPDATE SET segment_seconds = excluded.segment_seconds")) {
            upsert.setString(1, state.cameraId());
            upsert.setInt(2, state.segmentSeconds());
            upsert.setLong(3, state.since().toEpochMilli());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("The recording state could not be saved: " + e.getMessage(), e);
        }
    }

    synchronized void dropState(String cameraId) {
        open();
        try (PreparedStatement delete = writer.prepareStatement("DELETE FROM recording_state WHERE camera_id = ?")) {
            delete.setString(1, cameraId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("The recording state could not be saved: " + e.getMessage(), e);
        }
    }

    List<State> states() {
        try (Connection c = reader(); PreparedStatement q = c.prepareStatement(
                "SELECT camera_id, segment_seconds, since_ms FROM recording_state ORDER BY camera_id");
             ResultSet r = q.executeQuery()) {
            List<State> states = new ArrayList<>();
            while (r.next()) {
                states.add(new State(r.getString(1), r.getInt(2), Instant.ofEpochMilli(r.getLong(3))));
            }
            return states;
        } catch (SQLException e) {
            throw new IllegalStateException("The recording state could not be read: " + e.getMessage(), e);
        }
    }
}
