package org.classtop.plugins.cctv.storage.agent;

import jakarta.inject.Inject;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.cctv.recording.RecordingIndex;

/** {@code cctv_get_storage_info {}}: the recordings root, its disk, bytes per camera, retention and the last cleanup. */
final class GetStorageInfoCommand implements CommandHandler {
    private final RecordingIndex index;
    private final Cleaner cleaner;
    private final StorageSettings settings;

    @Inject
    GetStorageInfoCommand(RecordingIndex index, Cleaner cleaner, StorageSettings settings) {
        this.index = index;
        this.cleaner = cleaner;
        this.settings = settings;
    }

    @Override
    public Object handle(CommandRequest request) throws Exception {
        FileStore store = Files.getFileStore(index.root());
        long bytes = 0;
        long count = 0;
        List<Map<String, Object>> perCamera = new ArrayList<>();
        for (RecordingIndex.CameraUsage usage : index.usage()) {
            bytes += usage.bytes();
            count += usage.count();
            Map<String, Object> camera = new LinkedHashMap<>();
            camera.put("camera_id", usage.cameraId());
            camera.put("bytes", usage.bytes());
            camera.put("count", usage.count());
            camera.put("oldest", usage.oldest().toString());
            camera.put("newest", usage.newest().toString());
            perCamera.add(camera);
        }
        Map<String, Object> cleanup = new LinkedHashMap<>();
        cleanup.put("running", cleaner.runningSince() != null);
        cleanup.put("last_run_at", cleaner.lastRunAt() == null ? null : cleaner.lastRunAt().toString());
        cleanup.put("last_result", cleaner.lastResult());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("root", index.root().toString());
        info.put("total_bytes", store.getTotalSpace());
        info.put("free_bytes", store.getUsableSpace());
        info.put("recordings_bytes", bytes);
        info.put("recordings_count", count);
        info.put("per_camera", perCamera);
        info.put("retention", settings.retention().toJson());
        info.put("cleanup", cleanup);
        return info;
    }
}
