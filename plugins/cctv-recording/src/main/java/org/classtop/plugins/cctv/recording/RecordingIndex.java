package org.classtop.plugins.cctv.recording;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.classtop.api.Registration;

/**
 * The agent's index of finished recording segments (SQLite in cctv-recording's data folder), exported on the
 * agent side to {@code cctv-storage} and any plugin that names {@code cctv-recording} in its
 * {@code Plugin-Dependencies}. Only finished, readable segments are ever in it; the segment being written is not.
 */
public interface RecordingIndex {
    /** The recordings root (absolute, normalised); every indexed file lies inside it. */
    Path root();

    /** Newest first; {@code cameraId}, {@code from}, {@code to} may be null (no filter); at most {@code limit} rows. */
    List<Recording> list(String cameraId, Instant from, Instant to, int limit);

    /** Every row, oldest first (by start), for retention. */
    List<Recording> oldestFirst();

    Optional<Recording> get(long id);

    /**
     * The file of a row, resolved inside {@link #root()} after normalisation and symbolic links.
     *
     * @throws IOException when the file is missing or would lie outside the root
     */
    Path fileOf(Recording recording) throws IOException;

    /**
     * Deletes the file and its row.
     *
     * @return the bytes the row said the file had, or empty when there was no such row
     */
    Optional<Recording> delete(long id) throws IOException;

    /**
     * Calls {@code listener} after each segment a recorder finished is indexed, on the recorder's thread: keep it
     * short (a cheap check; hand longer work to another thread). A failing listener is logged, never the recorder's
     * problem. Closing the registration removes the listener.
     */
    Registration onSegmentAdded(Consumer<Recording> listener);

    /** Bytes, count, oldest and newest start per camera, by camera id. */
    List<CameraUsage> usage();

    /**
     * Makes index and disk agree: orphan segments that FFmpeg can read are indexed (an unfinished {@code .part}
     * not being written is repaired first), unreadable ones deleted; rows whose file is gone are dropped; empty
     * camera folders are removed. Never touches a segment being written.
     */
    Reconciliation reconcile() throws IOException;

    record CameraUsage(String cameraId, long bytes, long count, Instant oldest, Instant newest) {
    }

    record Reconciliation(int orphansIndexed, int orphansRemoved, int rowsDropped, int foldersRemoved) {
        public Reconciliation plus(Reconciliation other) {
            return new Reconciliation(orphansIndexed + other.orphansIndexed, orphansRemoved + other.orphansRemoved,
                    rowsDropped + other.rowsDropped, foldersRemoved + other.foldersRemoved);
        }
    }
}
