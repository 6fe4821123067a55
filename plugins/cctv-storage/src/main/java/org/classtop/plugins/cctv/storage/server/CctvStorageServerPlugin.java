package org.classtop.plugins.cctv.storage.server;

import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.POST;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/** Server side of cctv-storage: the storage routes of SPEC §3 and the Storage panel on a client's page. */
@Extension
public final class CctvStorageServerPlugin extends ServerPlugin {
    private static final String ERRORS = " 404 CLIENT_NOT_FOUND, 503 CLIENT_OFFLINE, 504 COMMAND_TIMEOUT.";

    @Override
    protected void configure() {
        description("zh-CN", "录像存储：每个摄像头占用的空间、磁盘剩余空间，按时间、总大小和最小剩余空间清理，以及索引与磁盘的核对。");
        route(GET, "/api/cctv/{uuid}/storage")
                .summary("Recording storage of a client")
                .description("Disk total and free, bytes and recordings per camera, the retention in force and the last "
                        + "cleanup." + ERRORS)
                .responseExample("{\"root\":\"/var/lib/classtop-agent/recordings\",\"total_bytes\":500107862016,"
                        + "\"free_bytes\":210000000000,\"recordings_bytes\":7340032,\"recordings_count\":2,\"per_camera\":"
                        + "[{\"camera_id\":\"cam1\",\"bytes\":7340032,\"count\":2,\"oldest\":\"2026-12-03T08:15:00Z\","
                        + "\"newest\":\"2026-12-03T08:16:00Z\"}],\"retention\":{\"max_age_days\":30,\"max_total_bytes\":0,"
                        + "\"min_free_bytes\":1073741824},\"cleanup\":{\"running\":false,\"last_run_at\":\"2026-12-03T08:10:00Z\","
                        + "\"last_result\":{\"deleted\":0,\"freed_bytes\":0}}}")
                .to(StorageRoutes.Info.class);
        route(POST, "/api/cctv/{uuid}/storage/cleanup")
                .summary("Clean up recordings now")
                .description("Deletes the oldest recordings until the retention holds (by age, total size and minimum free "
                        + "space, whichever bites first) and reconciles index and disk. Fields override the configured "
                        + "retention for this run: max_age_days, max_total_bytes, min_free_bytes (whole numbers >= 0). "
                        + "Progress: cctv-storage.cleanup_progress events. 400 BAD_PARAMS; 409 RECORDING_BUSY while one runs."
                        + ERRORS)
                .requestExample("{\"max_age_days\":14,\"max_total_bytes\":107374182400}")
                .responseExample("{\"deleted\":12,\"freed_bytes\":62914560,\"reasons\":{\"age\":12,\"size\":0,\"free_space\":0},"
                        + "\"reconciled\":{\"orphans_indexed\":0,\"orphans_removed\":1,\"rows_dropped\":0,\"folders_removed\":1}}")
                .to(StorageRoutes.Cleanup.class);

        uiPanel("storage")
                .script("static/cctv-storage/panel.js")
                .element("cctv-storage-panel")
                .slot("client-detail")
                .title("Storage")
                .title("zh-CN", "存储")
                .whenClientHas("cctv_get_storage_info")
                .register();
    }
}
