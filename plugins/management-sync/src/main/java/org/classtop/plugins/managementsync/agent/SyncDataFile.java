package org.classtop.plugins.managementsync.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentInfo;

/**
 * The courses and schedules an agent in the dual mode syncs, from a JSON file named by the setting
 * {@code data-file} (environment {@code MANAGEMENT_SYNC_DATA_FILE}, or {@code -Dmanagement-sync.data-file=...};
 * a relative path is taken inside the agent's data folder, default {@code classtop-data.json} there):
 * <pre>{@code
 * {"courses":   [{"id":1,"name":"Maths","teacher":"Li","location":"Room 101","color":"#4caf50"}, ...],
 *  "schedules": [{"id":1,"course_id":1,"day_of_week":1,"start_time":"08:00","end_time":"08:45"}, ...]}
 * }</pre>
 * The items are passed on as they are (any JSON objects). No file, or a file without the list, means nothing to
 * say: the section is left out of the sync (null), so data synced earlier is kept, never wiped; a file
 * that is not such JSON, or larger than {@value #MAX_BYTES} bytes, fails the section for that sync (it is then
 * left out, never sent empty). The file is read at every sync, so the ClassTop client may rewrite it at any time
 * (write a temp file and rename it over, so a sync never sees half a file).
 */
@Singleton
public final class SyncDataFile {
    static final long MAX_BYTES = 8L << 20;
    static final String DEFAULT_NAME = "classtop-data.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PluginContext plugin;
    private final AgentInfo agent;

    @Inject
    public SyncDataFile(PluginContext plugin, AgentInfo agent) {
        this.plugin = plugin;
        this.agent = agent;
    }

    Path file() {
        Optional<String> named = plugin.config("data-file").map(String::trim).filter(s -> !s.isEmpty());
        Path path = Path.of(named.orElse(DEFAULT_NAME));
        return path.isAbsolute() ? path : agent.dataDir().resolve(path);
    }

    /** The list under {@code field} ({@code courses} or {@code schedules}). */
    Object section(String field) throws IOException {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            return null;
        }
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new IOException("The sync data file " + file + " is " + size + " bytes, more than " + MAX_BYTES + ".");
        }
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("The sync data file " + file + " is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("The sync data file " + file + " must hold a JSON object with courses and schedules.");
        }
        JsonNode list = root.path(field);
        if (list.isMissingNode() || list.isNull()) {
            return null;
        }
        if (!list.isArray()) {
            throw new IOException("In the sync data file " + file + ", " + field + " must be a list.");
        }
        return JSON.convertValue(list, List.class);
    }
}
