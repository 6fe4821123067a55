package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** {@code cctv_start_recording {"camera_id","segment_seconds"?}}. */
final class StartRecordingCommand implements CommandHandler {
    private final Recorders recorders;

    @Inject
    StartRecordingCommand(Recorders recorders) {
        this.recorders = recorders;
    }

    @Override
    public Object handle(CommandRequest request) {
        String cameraId = Params.cameraId(request);
        Long seconds = Params.optionalLong(request, "segment_seconds", RecordingSettings.MIN_SEGMENT_SECONDS,
                RecordingSettings.MAX_SEGMENT_SECONDS);
        return recorders.startRecording(cameraId, seconds == null ? null : seconds.intValue());
    }
}
