package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.cctv.recording.CctvFailure;
import org.classtop.plugins.cctv.recording.Recording;

/** Internal {@code cctv_get_recording {"id"}}: one item, the size the server's Range answers need. */
final class GetRecordingCommand implements CommandHandler {
    private final SqliteRecordingIndex index;

    @Inject
    GetRecordingCommand(SqliteRecordingIndex index) {
        this.index = index;
    }

    @Override
    public Object handle(CommandRequest request) {
        return find(index, Params.recordingId(request)).toJson();
    }

    static Recording find(SqliteRecordingIndex index, long id) {
        return index.get(id).orElseThrow(() -> notFound(id));
    }

    static CctvFailure notFound(long id) {
        return new CctvFailure("RECORDING_NOT_FOUND", "There is no recording " + id + " on this agent.");
    }
}
