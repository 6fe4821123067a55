package org.classtop.plugins.cctv.recording.agent;

import jakarta.inject.Inject;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.api.Lifecycle;
import org.classtop.api.Registration;
import org.classtop.api.agent.AgentContext;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.recording.CctvFailure;
import org.classtop.plugins.cctv.recording.RecordingIndex;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cameras being recorded. At start it repairs or removes what a crash left ({@code .part} files, orphans), then
 * resumes the recording of every camera whose state says so; at stop it finishes every segment (the state stays,
 * so the next start resumes).
 */
final class Recorders implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Recorders.class);

    private final CameraFeeds feeds;
    private final SqliteRecordingIndex index;
    private final ActiveSegments active;
    private final RecordingSettings settings;
    private final AgentContext agent;
    private final Map<String, CameraRecorder> recorders = new ConcurrentHashMap<>();
    private Registration removals;
    private boolean stopping; // under this object's lock: once set, no recording starts

    @Inject
    Recorders(CameraFeeds feeds, SqliteRecordingIndex index, ActiveSegments active, RecordingSettings settings,
              AgentContext agent) {
        this.feeds = feeds;
        this.index = index;
        this.active = active;
        this.settings = settings;
        this.agent = agent;
    }

    @Override
    public synchronized void start() throws Exception {
        stopping = false;
        settings.segmentSeconds(); // a bad setting fails the plugin with its sentence
        index.open();
        RecordingIndex.Reconciliation recovered = index.reconcile();
        LOG.info("[cctv-recording] recordings in {} ({}); at start: {}", index.root(), VideoFiles.encoder().label(), recovered);
        removals = feeds.onCameraRemoved(this::cameraRemoved);
        for (SqliteRecordingIndex.State state : index.states()) {
            try {
                begin(state.cameraId(), state.segmentSeconds(), state.since(), true);
            } catch (CctvFailure e) {
                index.dropState(state.cameraId());
                LOG.warn("[cctv-recording] not resuming camera {}: {}", state.cameraId(), e.getMessage());
                agent.emit("recording_stopped", Map.of("camera_id", state.cameraId(), "reason", e.getMessage()));
            }
        }
    }

    @Override
    public synchronized void stop() throws Exception {
        stopping = true; // a start command waiting for the lock is refused after this
        if (removals != null) {
            removals.close();
        }
        for (CameraRecorder recorder : recorders.values()) {
            recorder.stop();
        }
        recorders.clear();
        index.close();
    }

    /** Starts recording (or changes the segment length of a running recording), persisted. */
    synchronized Map<String, Object> startRecording(String cameraId, Integer segmentSeconds) {
        if (stopping) {
            throw new CctvFailure("RECORDING_BUSY", "cctv-recording is stopping; no recording can start now.");
        }
        CameraRecorder running = recorders.get(cameraId);
        if (running != null) {
            if (segmentSeconds != null && segmentSeconds != running.segmentSeconds()) {
                running.segmentSeconds(segmentSeconds);
                index.saveState(new SqliteRecordingIndex.State(cameraId, segmentSeconds, running.since()));
            }
            return answer(cameraId);
        }
        int seconds = segmentSeconds != null ? segmentSeconds : settings.segmentSeconds();
        Instant since = Instant.now();
        begin(cameraId, seconds, since, false);
        index.saveState(new SqliteRecordingIndex.State(cameraId, seconds, since));
        agent.stateChanged();
        return answer(cameraId);
    }

    synchronized Map<String, Object> stopRecording(String cameraId) throws InterruptedException {
        if (stopping) {
            throw new CctvFailure("RECORDING_BUSY", "cctv-recording is stopping; every recording is being finished.");
        }
        CameraRecorder recorder = recorders.remove(cameraId);
        if (recorder == null) {
            throw new CctvFailure("NOT_RECORDING", "Camera " + cameraId + " is not recording.");
        }
        index.dropState(cameraId);
        recorder.stop();
        agent.emit("recording_stopped", Map.of("camera_id", cameraId, "reason", "stopped"));
        agent.stateChanged();
        return answer(cameraId);
    }

    boolean isRecording(String cameraId) {
        return recorders.containsKey(cameraId);
    }

    private void begin(String cameraId, int seconds, Instant since, boolean resumed) {
        if (feeds.camera(cameraId).isEmpty()) {
            throw new CctvFailure("CAMERA_NOT_FOUND", "There is no camera " + cameraId + " on this agent.");
        }
        CameraRecorder recorder = new CameraRecorder(cameraId, seconds, since, feeds, index, active, agent);
        try {
            recorder.start();
        } catch (NoSuchElementException e) {
            throw new CctvFailure("CAMERA_NOT_FOUND", "There is no camera " + cameraId + " on this agent.");
        }
        recorders.put(cameraId, recorder);
        agent.emit("recording_started", Map.of("camera_id", cameraId, "segment_seconds", seconds,
                "since", since.toString(), "resumed", resumed));
    }

    private synchronized void cameraRemoved(String cameraId) {
        CameraRecorder recorder = recorders.remove(cameraId);
        if (recorder == null) {
            return;
        }
        index.dropState(cameraId);
        try {
            recorder.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        agent.emit("recording_stopped", Map.of("camera_id", cameraId, "reason", "camera removed"));
    }

    private Map<String, Object> answer(String cameraId) {
        CameraRecorder recorder = recorders.get(cameraId);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("camera_id", cameraId);
        answer.put("recording", recorder != null);
        answer.put("segment_seconds", recorder != null ? recorder.segmentSeconds() : settings.segmentSeconds());
        if (recorder != null) {
            answer.put("since", recorder.since().toString());
        }
        return answer;
    }
}
