package org.classtop.plugins.cctv.cameras.agent;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.AgentContext;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFrame;
import org.classtop.plugins.videosources.ffmpeg.JpegEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushing cameras to RTMP/RTSP (and SRT, UDP or TCP MPEG-TS) URLs: one STREAMER consumer per camera that
 * encodes its frames with FFmpeg (H.264 when this FFmpeg has an encoder for it, else MPEG-4 part 2, FLV1 for
 * RTMP) and writes them to the URL. A failure ends the stream, reported as last error and
 * {@code streaming_failed}; start it again to retry.
 */
@Singleton
final class Streaming implements Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Streaming.class);
    private static final Set<String> SCHEMES = Set.of("rtmp", "rtmps", "rtsp", "srt", "udp", "tcp");

    private final CameraService cameras;
    private final AgentContext agent;
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final Map<String, String> lastErrors = new ConcurrentHashMap<>();

    @Inject
    Streaming(CameraService cameras, AgentContext agent) {
        this.cameras = cameras;
        this.agent = agent;
    }

    @Override
    public void start() {
        cameras.onCameraRemoved(cameraId -> {
            Stream stream = streams.remove(cameraId);
            if (stream != null) {
                stream.end();
            }
            lastErrors.remove(cameraId);
        });
    }

    @Override
    public void stop() {
        List.copyOf(streams.keySet()).forEach(this::stopStreaming);
    }

    /** The URL if it is one this plugin streams to; otherwise BAD_PARAMS saying which are. */
    static String checkUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw Errors.badParams("The streaming URL '" + Errors.quote(url) + "' is not a URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!SCHEMES.contains(scheme) || uri.getHost() == null || url.length() > 1024) {
            throw Errors.badParams("The streaming URL must be rtmp://, rtmps://, rtsp://, srt://, udp:// or tcp:// with a host, not '"
                    + Errors.quote(url) + "'.");
        }
        return url;
    }

    /** Starts (or restarts, with a new URL) streaming one camera. */
    synchronized void startStreaming(String cameraId, String url) {
        Camera camera = cameras.require(cameraId);
        Stream old = streams.remove(cameraId);
        if (old != null) {
            old.end();
        }
        lastErrors.remove(cameraId);
        Stream stream = new Stream(camera.id(), url);
        streams.put(cameraId, stream);
        stream.subscription = cameras.subscribe(cameraId, "streamer " + redact(url), CameraFeeds.ConsumerRole.STREAMER, stream::onFrame);
        LOG.info("[cctv-cameras] Camera '{}' streams to {}.", cameraId, redact(url));
    }

    /** Stops streaming one camera; false when it was not streaming. */
    synchronized boolean stopStreaming(String cameraId) {
        Stream stream = streams.remove(cameraId);
        if (stream == null) {
            return false;
        }
        stream.end();
        LOG.info("[cctv-cameras] Camera '{}' stopped streaming.", cameraId);
        return true;
    }

    String url(String cameraId) {
        Stream stream = streams.get(cameraId);
        return stream == null ? null : stream.url;
    }

    String lastError(String cameraId) {
        return lastErrors.get(cameraId);
    }

    /** A URL for the log without its user information (a stream key in the path stays: it names the stream). */
    static String redact(String url) {
        return url.replaceFirst("://[^/@]*@", "://***@");
    }

    private void failed(Stream stream, String error) {
        if (streams.remove(stream.cameraId, stream)) {
            lastErrors.put(stream.cameraId, error);
            LOG.warn("[cctv-cameras] Streaming camera '{}' to {} failed: {}", stream.cameraId, redact(stream.url), error);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("camera_id", stream.cameraId);
            data.put("url", redact(stream.url));
            data.put("error", error);
            agent.emit("streaming_failed", data);
        }
        stream.end();
    }

    /** One camera pushed to one URL; its frames arrive one at a time on a delivery thread. */
    private final class Stream {
        final String cameraId;
        final String url;
        volatile CameraFeeds.FeedSubscription subscription;
        private FFmpegFrameRecorder recorder;
        private long startedAtMicros;
        private boolean ended;

        Stream(String cameraId, String url) {
            this.cameraId = cameraId;
            this.url = url;
        }

        synchronized void onFrame(CameraFrame frame) {
            if (ended) {
                return;
            }
            try {
                if (recorder == null) {
                    recorder = open(frame);
                    startedAtMicros = frame.capturedAtMillis() * 1000;
                }
                long at = frame.capturedAtMillis() * 1000 - startedAtMicros;
                if (at > recorder.getTimestamp()) {
                    recorder.setTimestamp(at); // live: the stream's clock is the camera's, dropped frames included
                }
                recorder.record(frame.image(), frame.pixelFormat());
            } catch (Exception | LinkageError e) {
                failed(this, "FFmpeg could not stream to the URL: " + JpegEncoder.reason(e));
            }
        }

        private FFmpegFrameRecorder open(CameraFrame frame) throws FFmpegFrameRecorder.Exception {
            String scheme = URI.create(url).getScheme().toLowerCase(Locale.ROOT);
            FFmpegFrameRecorder out = new FFmpegFrameRecorder(url, frame.width(), frame.height(), 0);
            boolean flv = scheme.startsWith("rtmp");
            out.setFormat(flv ? "flv" : scheme.equals("rtsp") ? "rtsp" : "mpegts");
            String h264 = h264Encoder();
            if (h264 != null) {
                out.setVideoCodecName(h264);
                if (h264.equals("libx264")) {
                    out.setVideoOption("preset", "veryfast");
                    out.setVideoOption("tune", "zerolatency");
                }
            } else {
                out.setVideoCodec(flv ? avcodec.AV_CODEC_ID_FLV1 : avcodec.AV_CODEC_ID_MPEG4);
            }
            out.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
            double rate = cameras.find(cameraId).map(c -> c.measuredFps() > 0 ? c.measuredFps() : 25.0).orElse(25.0);
            out.setFrameRate(Math.max(1, Math.min(60, Math.round(rate))));
            out.setGopSize((int) Math.max(2, Math.round(rate * 2)));
            out.setVideoBitrate(2_000_000);
            if (scheme.equals("rtsp")) {
                out.setOption("rtsp_transport", "tcp");
            }
            out.setOption("rw_timeout", String.valueOf(cameras.settings().stallTimeout.toMillis() * 1000));
            try {
                out.start();
            } catch (FFmpegFrameRecorder.Exception | RuntimeException e) {
                try {
                    out.release();
                } catch (Exception | Error ignored) {
                    // best effort
                }
                throw e;
            }
            return out;
        }

        /** Ends the stream: unsubscribes and closes the connection (trailer written when possible). */
        void end() {
            CameraFeeds.FeedSubscription feed = subscription;
            if (feed != null) {
                feed.close();
            }
            synchronized (this) {
                ended = true;
                if (recorder != null) {
                    try {
                        recorder.close();
                    } catch (Exception | Error ignored) {
                        // the peer may be gone: nothing more to do
                    }
                    recorder = null;
                }
            }
        }
    }

    private static volatile String h264;

    /** The H.264 encoder this FFmpeg build has (libx264, libopenh264, ...), or null. */
    static String h264Encoder() {
        String known = h264;
        if (known == null) {
            known = "";
            for (String name : new String[]{"libx264", "libopenh264", "h264_mf", "h264_videotoolbox"}) {
                if (avcodec.avcodec_find_encoder_by_name(name) != null) {
                    known = name;
                    break;
                }
            }
            h264 = known;
        }
        return known.isEmpty() ? null : known;
    }
}
