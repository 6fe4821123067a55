package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.cctv.recording.Recording;

/** {@code cctv_delete_recording {"id"}}: removes the file and its row; event {@code cctv-recording.recording_deleted}. */
final class DeleteRecordingCommand implements CommandHandler {
    private final SqliteRecordingIndex index;
    private final AgentContext agent;

    @Inject
    DeleteRecordingCommand(SqliteRecordingIndex index, AgentContext agent) {
        this.index = index;
        this.agent = agent;
    }

    @Override
    public Object handle(CommandRequest request) throws Exception {
        long id = Params.recordingId(request);
        Recording row = index.delete(id).orElseThrow(() -> GetRecordingCommand.notFound(id));
        agent.emit("recording_deleted", Map.of("id", id, "camera_id", row.cameraId(), "bytes", row.bytes()));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("id", id);
        answer.put("deleted", true);
        answer.put("bytes", row.bytes());
        return answer;
    }
}
