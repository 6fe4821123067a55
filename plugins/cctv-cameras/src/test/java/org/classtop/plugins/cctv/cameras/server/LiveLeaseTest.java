package org.classtop.plugins.cctv.cameras.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.testing.ClassTopServerExtension;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The preview lease with a short lease (3 s): renewed while someone watches; a camera removed on the agent
 * (renewal answers CAMERA_NOT_FOUND) and an agent that disconnects end the viewers' streams.
 */
class LiveLeaseTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b
            .pluginConfig("cctv-cameras.PREVIEW_LEASE", "3s")
            .pluginConfig("cctv-cameras.PREVIEW_LINGER", "0")
            .plugin("cctv-cameras", new CctvCamerasServerPlugin()));

    private final List<String> commands = new CopyOnWriteArrayList<>();
    private volatile boolean removed;

    private FakeAgent agent(String uuid) {
        return SERVER.get().agent(uuid, "Room " + uuid, a -> a
                .on("cctv_preview_start", params -> {
                    commands.add("start " + params.path("camera_id").asText());
                    if (removed) {
                        throw new FakeAgent.Failure("There is no camera 'cam1'.", "CAMERA_NOT_FOUND");
                    }
                    return Map.of("camera_id", "cam1", "stream", "preview.cam1");
                })
                .on("cctv_preview_stop", params -> {
                    commands.add("stop " + params.path("camera_id").asText());
                    return Map.of("camera_id", "cam1");
                }));
    }

    private long count(String what) {
        return commands.stream().filter(what::equals).count();
    }

    @Test
    void theLeaseIsRenewedWhileSomeoneWatchesAndARemovedCameraEndsTheView() throws Exception {
        try (FakeAgent agent = agent("pc-lease");
             MjpegViewer viewer = new MjpegViewer(SERVER.get().baseUrl(), SERVER.get().adminToken(), "/api/cctv/pc-lease/cameras/cam1/live")) {
            Poll.until("the first preview_start", WAIT, () -> count("start cam1") == 1);
            agent.sendLive("cctv-cameras.preview.cam1", CamerasRoutesTest.JPEG);
            Poll.until("a frame", WAIT, () -> viewer.parts.get() >= 1);
            Poll.until("renewed every lease/3", WAIT, () -> count("start cam1") >= 3);
            removed = true; // the next renewal answers CAMERA_NOT_FOUND: the view ends
            Poll.until("the viewer's stream ended", WAIT, viewer.ended::get);
            assertEquals(0, count("stop cam1"), "no stop for a camera the agent no longer has");
        }
    }

    @Test
    void anAgentThatDisconnectsEndsItsViewers() throws Exception {
        removed = false;
        FakeAgent agent = agent("pc-gone");
        try (MjpegViewer viewer = new MjpegViewer(SERVER.get().baseUrl(), SERVER.get().adminToken(), "/api/cctv/pc-gone/cameras/cam1/live")) {
            Poll.until("preview started", WAIT, () -> count("start cam1") >= 1);
            agent.sendLive("cctv-cameras.preview.cam1", CamerasRoutesTest.JPEG);
            Poll.until("a frame", WAIT, () -> viewer.parts.get() >= 1);
            agent.abort();
            Poll.until("the viewer's stream ended", WAIT, viewer.ended::get);
            assertTrue(viewer.status == 200);
        }
    }
}
