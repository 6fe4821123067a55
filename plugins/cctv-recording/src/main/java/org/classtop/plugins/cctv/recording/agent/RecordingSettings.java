package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import java.nio.file.Path;
import org.classtop.api.PluginContext;

/**
 * The settings of cctv-recording on the agent ({@code CCTV_RECORDING_<NAME>} environment variable or the system
 * property {@code cctv-recording.<name>}): {@code recordings_root} (default: {@code recordings} in the plugin's
 * data folder) and {@code segment_seconds} (default 60, from 2 to 3600).
 */
final class RecordingSettings {
    static final int MIN_SEGMENT_SECONDS = 2;
    static final int MAX_SEGMENT_SECONDS = 3600;

    private final PluginContext context;
    private volatile Path root;
    private volatile Integer segmentSeconds;

    @Inject
    RecordingSettings(PluginContext context) {
        this.context = context;
    }

    /** Absolute and normalised; created on demand by the index. */
    Path root() {
        Path found = root;
        if (found == null) {
            found = context.config("recordings_root").map(String::trim).filter(s -> !s.isEmpty()).map(Path::of)
                    .orElseGet(() -> context.dataDir().resolve("recordings")).toAbsolutePath().normalize();
            root = found;
        }
        return found;
    }

    Path database() {
        return context.dataDir().resolve("recordings.db");
    }

    int segmentSeconds() {
        Integer found = segmentSeconds;
        if (found == null) {
            int value = context.configInt("segment_seconds", 60);
            if (value < MIN_SEGMENT_SECONDS || value > MAX_SEGMENT_SECONDS) {
                throw new IllegalArgumentException("The setting " + context.pluginId() + ".segment_seconds is " + value
                        + "; it must be from " + MIN_SEGMENT_SECONDS + " to " + MAX_SEGMENT_SECONDS + " seconds.");
            }
            segmentSeconds = found = value;
        }
        return found;
    }
}
