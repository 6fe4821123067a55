package org.classtop.plugins.cctv.recording.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.plugins.cctv.recording.RecordingIndex;
import org.pf4j.Extension;

/**
 * The agent side of cctv-recording: segmented MP4 recording of the cameras of {@code cctv-cameras}, the index of
 * recordings (SQLite, exported as {@link RecordingIndex}) and the reads that relay a recording to the server.
 */
@Extension
public final class CctvRecordingAgentPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        install(new AbstractModule() {
            @Override
            protected void configure() {
                bind(RecordingSettings.class).in(Singleton.class);
                bind(ActiveSegments.class).in(Singleton.class);
            }
        });
        export(RecordingIndex.class).to(SqliteRecordingIndex.class);
        lifecycle(Recorders.class);
        lifecycle(FileReads.class);
        command("cctv_start_recording").description("Starts recording a camera in segments; survives a restart")
                .description("zh-CN", "开始分段录制一个摄像头；重启后继续")
                .paramsExample("{\"camera_id\":\"cam1\",\"segment_seconds\":60}").to(StartRecordingCommand.class);
        command("cctv_stop_recording").description("Stops recording a camera; the last segment is finished and indexed")
                .description("zh-CN", "停止录制一个摄像头；最后一段会被完成并编入索引")
                .paramsExample("{\"camera_id\":\"cam1\"}").to(StopRecordingCommand.class);
        command("cctv_get_recordings").description("Recordings, newest first, by camera and time range")
                .description("zh-CN", "按摄像头和时间范围列出录像，最新的在前").read()
                .paramsExample("{\"camera_id\":\"cam1\",\"from\":\"2026-12-03T08:00:00Z\",\"to\":\"2026-12-03T09:00:00Z\",\"limit\":100}")
                .to(GetRecordingsCommand.class);
        command("cctv_delete_recording").description("Deletes one recording and its file")
                .description("zh-CN", "删除一段录像及其文件")
                .paramsExample("{\"id\":42}").to(DeleteRecordingCommand.class);
        command("cctv_get_recording").description("One recording (internal: used by playback)")
                .description("zh-CN", "一段录像（内部：回放使用）").read()
                .paramsExample("{\"id\":42}").to(GetRecordingCommand.class);
        command("cctv_recording_read").description("Sends a byte range of a recording to the server (internal: playback)")
                .description("zh-CN", "把录像的一段字节发送到服务器（内部：回放使用）").read()
                .paramsExample("{\"id\":42,\"offset\":0,\"length\":1048576,\"transfer\":\"t1\"}").to(RecordingReadCommand.class);
    }
}
