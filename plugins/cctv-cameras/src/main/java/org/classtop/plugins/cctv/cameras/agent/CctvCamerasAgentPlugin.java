package org.classtop.plugins.cctv.cameras.agent;

import com.google.inject.AbstractModule;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.pf4j.Extension;

/**
 * The agent side of cctv-cameras: the cameras of this classroom PC (one grabber each, through javacv from the
 * video-sources plugin), the {@link CameraFeeds} service for cctv-recording and others, previews and snapshots
 * over the binary lane, streaming to RTMP/RTSP, and the {@code cctv_state} section of the agent's state.
 */
@Extension
public final class CctvCamerasAgentPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        install(new AbstractModule() {
            @Override
            protected void configure() {
                bind(CameraSettings.class);
                bind(CameraStore.class);
                bind(CameraService.class);
                bind(Previews.class);
                bind(Streaming.class);
            }
        });
        lifecycle(CameraService.class); // started first, stopped last
        lifecycle(Previews.class);
        lifecycle(Streaming.class);
        export(CameraFeeds.class).to(CameraService.class);
        state("cctv_state", Commands.State.class);

        command("cctv_detect_cameras").read()
                .description("Cameras connected to this computer (V4L2, DirectShow or AVFoundation)")
                .description("zh-CN", "检测本机连接的摄像头")
                .paramsExample("{}").to(Commands.Detect.class);
        command("cctv_add_camera")
                .description("Add a camera: a device, an rtsp/http URL, a video file or lavfi:<graph>")
                .description("zh-CN", "添加摄像头：设备、rtsp/http 地址、视频文件或 lavfi:<滤镜图>")
                .paramsExample("{\"camera_id\":\"front\",\"name\":\"Front door\",\"source\":\"lavfi:testsrc=size=640x480:rate=15\","
                        + "\"width\":0,\"height\":0,\"fps\":0}")
                .to(Commands.Add.class);
        command("cctv_remove_camera")
                .description("Remove a camera (ends its recording, streaming and previews)")
                .description("zh-CN", "移除摄像头（同时结束其录像、推流和预览）")
                .paramsExample("{\"camera_id\":\"front\"}").to(Commands.Remove.class);
        command("cctv_get_camera_resolutions").read()
                .description("A camera's resolutions and the current one")
                .description("zh-CN", "摄像头支持的分辨率和当前分辨率")
                .paramsExample("{\"camera_id\":\"front\"}").to(Commands.Resolutions.class);
        command("cctv_start_streaming")
                .description("Push a camera to an RTMP or RTSP URL")
                .description("zh-CN", "将摄像头推流到 RTMP 或 RTSP 地址")
                .paramsExample("{\"camera_id\":\"front\",\"url\":\"rtmp://media.example/live/front\"}")
                .to(Commands.StartStreaming.class);
        command("cctv_stop_streaming")
                .description("Stop pushing a camera")
                .description("zh-CN", "停止推流")
                .paramsExample("{\"camera_id\":\"front\"}").to(Commands.StopStreaming.class);
        command("cctv_get_camera_state").read()
                .description("One camera's state: connected, fps, recording, streaming, last error")
                .description("zh-CN", "摄像头状态：连接、帧率、录像、推流、最近错误")
                .paramsExample("{\"camera_id\":\"front\"}").to(Commands.GetState.class);
        command("cctv_get_all_states").read()
                .description("Every camera's state")
                .description("zh-CN", "全部摄像头的状态")
                .paramsExample("{}").to(Commands.GetAllStates.class);
        command("cctv_get_config").read()
                .description("The configured cameras")
                .description("zh-CN", "已配置的摄像头")
                .paramsExample("{}").to(Commands.GetConfig.class);
        command("cctv_preview_start")
                .description("Internal: send low-rate JPEG previews of a camera over the binary lane for a lease")
                .description("zh-CN", "内部：在租期内通过二进制通道发送低帧率 JPEG 预览")
                .paramsExample("{\"camera_id\":\"front\",\"fps\":2,\"max_width\":640,\"lease_seconds\":30}")
                .to(Commands.PreviewStart.class);
        command("cctv_preview_stop")
                .description("Internal: stop a camera's preview")
                .description("zh-CN", "内部：停止预览")
                .paramsExample("{\"camera_id\":\"front\"}").to(Commands.PreviewStop.class);
        command("cctv_snapshot")
                .description("Internal: send one JPEG of a camera's next frame as a transfer")
                .description("zh-CN", "内部：以传输方式发送一张摄像头快照")
                .paramsExample("{\"camera_id\":\"front\",\"transfer\":\"a1b2c3\"}").to(Commands.Snapshot.class);
    }
}
