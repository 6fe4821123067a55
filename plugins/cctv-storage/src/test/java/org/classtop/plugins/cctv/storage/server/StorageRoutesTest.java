package org.classtop.plugins.cctv.storage.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.plugins.cctv.cameras.server.CctvCamerasServerPlugin;
import org.classtop.plugins.cctv.recording.server.CctvRecordingServerPlugin;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.ClassTopServerExtension;
import org.classtop.testing.FakeAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** cctv-storage's routes on the real server (in-process) against a scripted agent: info, cleanup, bad input, busy. */
class StorageRoutesTest {
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b
            .plugin("cctv-cameras", new CctvCamerasServerPlugin())
            .plugin("cctv-recording", List.of("cctv-cameras"), new CctvRecordingServerPlugin())
            .plugin("cctv-storage", List.of("cctv-cameras", "cctv-recording"), new CctvStorageServerPlugin()));

    private final List<String> commands = new CopyOnWriteArrayList<>();

    private FakeAgent agent(String uuid, boolean busy) {
        return SERVER.get().agent(uuid, "Room " + uuid, a -> a
                .on("cctv_get_storage_info", params -> {
                    commands.add("cctv_get_storage_info " + params);
                    return Map.of("root", "/data/recordings", "total_bytes", 1000, "free_bytes", 400, "recordings_bytes", 300,
                            "recordings_count", 2, "per_camera", List.of(Map.of("camera_id", "cam1", "bytes", 300, "count", 2)));
                })
                .on("cctv_cleanup_storage", params -> {
                    commands.add("cctv_cleanup_storage " + params);
                    if (busy) {
                        throw new FakeAgent.Failure("A cleanup is already running.", "RECORDING_BUSY");
                    }
                    return Map.of("deleted", 1, "freed_bytes", 150, "reasons", Map.of("age", 1, "size", 0, "free_space", 0));
                }));
    }

    private static void assertError(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), () -> "status of " + result);
        assertFalse(result.success());
        assertEquals(code, result.code(), result::toString);
        assertTrue(result.error().endsWith("."), result::error);
    }

    @Test
    void infoAndCleanup() {
        try (FakeAgent agent = agent("pc-1", false)) {
            ApiClient api = SERVER.get().api();
            ApiResult info = api.get("/api/cctv/pc-1/storage");
            assertEquals(200, info.status(), info::toString);
            assertEquals(400, info.data().path("free_bytes").asLong());
            assertEquals("cam1", info.data().path("per_camera").path(0).path("camera_id").asText());

            ApiResult configured = api.post("/api/cctv/pc-1/storage/cleanup", null);
            assertEquals(200, configured.status(), configured::toString);
            assertEquals("cctv_cleanup_storage {}", commands.get(commands.size() - 1), "none given: the configured retention");

            ApiResult overridden = api.post("/api/cctv/pc-1/storage/cleanup", Map.of("max_age_days", 14, "max_total_bytes", 0));
            assertEquals(150, overridden.data().path("freed_bytes").asLong());
            assertEquals("cctv_cleanup_storage {\"max_age_days\":14,\"max_total_bytes\":0}", commands.get(commands.size() - 1));
        }
    }

    @Test
    void badCleanupNumbersNeverReachTheAgent() {
        try (FakeAgent agent = agent("pc-2", false)) {
            ApiClient api = SERVER.get().api();
            assertError(api.post("/api/cctv/pc-2/storage/cleanup", Map.of("max_age_days", -1)), 400, "BAD_PARAMS");
            assertError(api.post("/api/cctv/pc-2/storage/cleanup", Map.of("min_free_bytes", "lots")), 400, "BAD_PARAMS");
            assertError(api.post("/api/cctv/pc-2/storage/cleanup", Map.of("max_total_bytes", 1.5)), 400, "BAD_PARAMS");
            assertError(api.post("/api/cctv/pc-2/storage/cleanup", Map.of("everything", true)), 400, "BAD_PARAMS");
            assertEquals(List.of(), commands);
            assertError(api.get("/api/cctv/nobody/storage"), 404, "CLIENT_NOT_FOUND");
        }
    }

    @Test
    void aRunningCleanupIsAConflictAndViewersMayNotStartOne() {
        try (FakeAgent agent = agent("pc-3", true)) {
            ApiClient api = SERVER.get().api();
            assertError(api.post("/api/cctv/pc-3/storage/cleanup", Map.of()), 409, "RECORDING_BUSY");
            ApiResult token = api.post("/api/tokens", Map.of("name", "storage-viewer", "role", "viewer"));
            ApiClient viewer = ApiClient.withToken(SERVER.get().baseUrl(), token.data().path("token").asText());
            assertEquals(200, viewer.get("/api/cctv/pc-3/storage").status());
            assertError(viewer.post("/api/cctv/pc-3/storage/cleanup", Map.of()), 403, "FORBIDDEN");
        }
    }
}
