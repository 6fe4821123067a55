package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.cctv.recording.CctvFailure;
import org.classtop.plugins.cctv.recording.Recording;

/**
 * {@code cctv_get_recordings {"camera_id"?,"from"?,"to"?,"limit"?}}: newest first; a recording is in [from, to]
 * when it overlaps it. Limit 500 by default, at most 5000.
 */
final class GetRecordingsCommand implements CommandHandler {
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 5000;
    private final SqliteRecordingIndex index;

    @Inject
    GetRecordingsCommand(SqliteRecordingIndex index) {
        this.index = index;
    }

    @Override
    public Object handle(CommandRequest request) {
        String cameraId = request.params().get("camera_id") == null ? null : Params.cameraId(request);
        Instant from = Params.optionalTime(request, "from");
        Instant to = Params.optionalTime(request, "to");
        if (from != null && to != null && from.isAfter(to)) {
            throw CctvFailure.badParams("The time 'from' (" + from + ") is after 'to' (" + to + ").");
        }
        Long limit = Params.optionalLong(request, "limit", 1, MAX_LIMIT);
        return Map.of("recordings", index.list(cameraId, from, to, limit == null ? DEFAULT_LIMIT : limit.intValue())
                .stream().map(Recording::toJson).toList());
    }
}
