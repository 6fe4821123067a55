package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** {@code cctv_stop_recording {"camera_id"}}: answers once the last segment is renamed and indexed. */
final class StopRecordingCommand implements CommandHandler {
    private final Recorders recorders;

    @Inject
    StopRecordingCommand(Recorders recorders) {
        this.recorders = recorders;
    }

    @Override
    public Object handle(CommandRequest request) throws Exception {
        return recorders.stopRecording(Params.cameraId(request));
    }
}
