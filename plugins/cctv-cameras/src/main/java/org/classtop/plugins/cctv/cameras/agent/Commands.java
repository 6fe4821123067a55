package org.classtop.plugins.cctv.cameras.agent;

import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.classtop.api.agent.BinaryStreams;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.agent.StateProvider;
import org.classtop.api.agent.Transfer;
import org.classtop.api.agent.TransferException;
import org.classtop.api.video.VideoFrame;
import org.classtop.plugins.cctv.cameras.CameraFeeds;

/** The commands of cctv-cameras on the agent; each answer is the {@code data} of the contract. */
final class Commands {
    private Commands() {
    }

    /** A small answer with its keys in the order given. */
    static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }

    /** Views of every camera, with what the streaming side knows. */
    static Map<String, Object> view(CameraService cameras, Streaming streaming, Camera camera) {
        Map<String, Object> view = cameras.view(camera, streaming.url(camera.id()));
        String streamError = streaming.lastError(camera.id());
        view.put("streaming_error", streamError);
        return view;
    }

    static Map<String, Object> all(CameraService cameras, Streaming streaming) {
        List<Map<String, Object>> views = new ArrayList<>();
        for (Camera camera : cameras.all()) {
            views.add(view(cameras, streaming, camera));
        }
        return Map.of("cameras", views);
    }

    /** The {@code cctv_state} section of the agent's state: every camera's view. */
    static final class State implements StateProvider {
        private final CameraService cameras;
        private final Streaming streaming;

        @Inject
        State(CameraService cameras, Streaming streaming) {
            this.cameras = cameras;
            this.streaming = streaming;
        }

        @Override
        public Object currentState() {
            return all(cameras, streaming);
        }
    }

    static final class Detect implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            return Map.of("cameras", new Detector().detect());
        }
    }

    static final class Add implements CommandHandler {
        private final CameraService cameras;
        private final Streaming streaming;

        @Inject
        Add(CameraService cameras, Streaming streaming) {
            this.cameras = cameras;
            this.streaming = streaming;
        }

        @Override
        public Object handle(CommandRequest request) {
            return view(cameras, streaming, cameras.add(CameraSpec.fromParams(request)));
        }
    }

    static final class Remove implements CommandHandler {
        private final CameraService cameras;

        @Inject
        Remove(CameraService cameras) {
            this.cameras = cameras;
        }

        @Override
        public Object handle(CommandRequest request) {
            String cameraId = Errors.cameraId(request);
            cameras.remove(cameraId);
            return ordered("camera_id", cameraId, "removed", true);
        }
    }

    static final class Resolutions implements CommandHandler {
        private final CameraService cameras;

        @Inject
        Resolutions(CameraService cameras) {
            this.cameras = cameras;
        }

        @Override
        public Object handle(CommandRequest request) {
            Camera camera = cameras.require(Errors.cameraId(request));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("camera_id", camera.id());
            // The size the camera delivers now (FFmpeg cannot enumerate a device's sizes without opening it a second time).
            int width = camera.frameWidth() > 0 ? camera.frameWidth() : camera.spec().width();
            int height = camera.frameHeight() > 0 ? camera.frameHeight() : camera.spec().height();
            List<Map<String, Object>> sizes = new ArrayList<>();
            if (width > 0) {
                sizes.add(Map.of("width", width, "height", height));
            }
            answer.put("resolutions", sizes);
            answer.put("current", width > 0 ? Map.of("width", width, "height", height) : null);
            return answer;
        }
    }

    static final class StartStreaming implements CommandHandler {
        private final CameraService cameras;
        private final Streaming streaming;

        @Inject
        StartStreaming(CameraService cameras, Streaming streaming) {
            this.cameras = cameras;
            this.streaming = streaming;
        }

        @Override
        public Object handle(CommandRequest request) {
            String cameraId = Errors.cameraId(request);
            Object url = request.params().get("url");
            if (!(url instanceof String text) || text.isBlank()) {
                throw Errors.badParams("Command 'cctv_start_streaming' needs the parameter 'url' (rtmp:// or rtsp://).");
            }
            Camera camera = cameras.require(cameraId);
            streaming.startStreaming(cameraId, Streaming.checkUrl(text.strip()));
            return view(cameras, streaming, camera);
        }
    }

    static final class StopStreaming implements CommandHandler {
        private final CameraService cameras;
        private final Streaming streaming;

        @Inject
        StopStreaming(CameraService cameras, Streaming streaming) {
            this.cameras = cameras;
            this.streaming = streaming;
        }

        @Override
        public Object handle(CommandRequest request) {
            Camera camera = cameras.require(Errors.cameraId(request));
            if (!streaming.stopStreaming(camera.id())) {
                throw CommandException.withCode("NOT_STREAMING", "Camera '" + camera.id() + "' is not streaming.");
            }
            return view(cameras, streaming, camera);
        }
    }

    static final class GetState implements CommandHandler {
        private final CameraService cameras;
        private final Streaming streaming;

        @Inject
        GetState(CameraService cameras, Streaming streaming) {
            this.cameras = cameras;
            this.streaming = streaming;
        }

        @Override
        public Object handle(CommandRequest request) {
            return view(cameras, streaming, cameras.require(Errors.cameraId(request)));
        }
    }

    static final class GetAllStates implements CommandHandler {
        private final CameraService cameras;
        private final Streaming streaming;

        @Inject
        GetAllStates(CameraService cameras, Streaming streaming) {
            this.cameras = cameras;
            this.streaming = streaming;
        }

        @Override
        public Object handle(CommandRequest request) {
            return all(cameras, streaming);
        }
    }

    static final class GetConfig implements CommandHandler {
        private final CameraService cameras;

        @Inject
        GetConfig(CameraService cameras) {
            this.cameras = cameras;
        }

        @Override
        public Object handle(CommandRequest request) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Camera camera : cameras.all()) {
                CameraSpec spec = camera.spec();
                Map<String, Object> item = new LinkedHashMap<>();
                item.put("camera_id", spec.cameraId());
                item.put("name", spec.name());
                item.put("source", spec.source());
                item.put("width", spec.width());
                item.put("height", spec.height());
                item.put("fps", spec.fps());
                list.add(item);
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("cameras", list);
            answer.put("max_cameras", cameras.settings().maxCameras);
            answer.put("h264_encoder", Streaming.h264Encoder());
            return answer;
        }
    }

    static final class PreviewStart implements CommandHandler {
        private final Previews previews;

        @Inject
        PreviewStart(Previews previews) {
            this.previews = previews;
        }

        @Override
        public Object handle(CommandRequest request) {
            String cameraId = Errors.cameraId(request);
            double fps = Errors.number(request, "fps", 2, 0.1, Previews.MAX_FPS);
            int maxWidth = Errors.wholeNumber(request, "max_width", 640, 16, Previews.MAX_WIDTH);
            int lease = Errors.wholeNumber(request, "lease_seconds", 30, 1, Previews.MAX_LEASE_SECONDS);
            previews.startPreview(cameraId, fps, maxWidth, lease);
            return ordered("camera_id", cameraId, "stream", "preview." + cameraId);
        }
    }

    static final class PreviewStop implements CommandHandler {
        private final Previews previews;

        @Inject
        PreviewStop(Previews previews) {
            this.previews = previews;
        }

        @Override
        public Object handle(CommandRequest request) {
            String cameraId = Errors.cameraId(request);
            return ordered("camera_id", cameraId, "stopped", previews.stopPreview(cameraId));
        }
    }

    static final class Snapshot implements CommandHandler {
        private final CameraService cameras;
        private final BinaryStreams streams;

        @Inject
        Snapshot(CameraService cameras, BinaryStreams streams) {
            this.cameras = cameras;
            this.streams = streams;
        }

        @Override
        public Object handle(CommandRequest request) throws InterruptedException {
            String cameraId = Errors.cameraId(request);
            String transfer = Errors.id(request, "transfer");
            Camera camera = cameras.require(cameraId);
            if (!camera.connected()) {
                throw noFrame(camera);
            }
            CompletableFuture<VideoFrame> next = new CompletableFuture<>();
            CameraFeeds.FeedSubscription feed = cameras.subscribe(cameraId, "snapshot", CameraFeeds.ConsumerRole.SNAPSHOT,
                    frame -> {
                        if (!next.isDone()) {
                            try {
                                next.complete(frame.jpeg()); // encoded while the frame is ours; shared with previews
                            } catch (RuntimeException e) {
                                next.completeExceptionally(e);
                            }
                        }
                    });
            VideoFrame jpeg;
            try {
                jpeg = next.get(cameras.settings().snapshotWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                throw noFrame(camera);
            } catch (ExecutionException e) {
                throw CommandException.withCode("SNAPSHOT_FAILED", "The snapshot of camera '" + cameraId + "' failed: "
                        + e.getCause().getMessage());
            } finally {
                feed.close();
            }
            byte[] bytes = jpeg.sharedBytes();
            try (Transfer out = streams.openTransfer("snapshot." + transfer)) {
                out.write(bytes, Duration.ofSeconds(30));
                out.finish();
            } catch (TransferException e) {
                throw CommandException.withCode("TRANSFER_FAILED", "The snapshot could not be sent to the server: " + e.getMessage());
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("camera_id", cameraId);
            answer.put("bytes", bytes.length);
            answer.put("width", camera.frameWidth());
            answer.put("height", camera.frameHeight());
            answer.put("captured_at", java.time.Instant.ofEpochMilli(jpeg.receivedAtMillis()).toString());
            return answer;
        }

        private static CommandException noFrame(Camera camera) {
            String why = camera.lastError() == null ? "" : " Last error: " + camera.lastError();
            return CommandException.withCode("NO_FRAME_YET", "Camera '" + camera.id() + "' has no frame yet: it is not "
                    + "connected; try again in a moment." + why);
        }
    }
}
