package org.classtop.plugins.cctv.cameras.agent;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.classtop.api.PluginContext;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.BinaryStreams;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.agent.LiveStream;
import org.classtop.api.agent.Transfer;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.cctv.cameras.CameraFrame;

/**
 * Agent-side camera benchmark (bench/cameras.sh; never run by the tests): one 720p lavfi camera at 30 fps
 * feeding a recorder-like consumer (H.264 if this FFmpeg has an encoder, else MPEG-4, to an MP4 file), a
 * preview (2 fps, scaled to 640 px, the real Previews code) and a snapshot every second (the real
 * cctv_snapshot handler). Prints the camera's and each consumer's frames per second and this process's CPU.
 *
 * <p>Arguments: {@code [seconds] [source]}, defaults 20 and {@code lavfi:testsrc=size=1280x720:rate=30}.
 */
public final class CameraBench {
    private CameraBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String source = args.length > 1 ? args[1] : "lavfi:testsrc=size=1280x720:rate=30";
        Path dir = Files.createTempDirectory("camera-bench");
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        Scheduler scheduler = new Scheduler() {
            @Override
            public Registration every(Duration period, Runnable task) {
                var future = timer.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }

            @Override
            public Registration after(Duration delay, Runnable task) {
                var future = timer.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            }
        };
        AgentContext agent = new AgentContext() {
            @Override
            public String clientUuid() {
                return "bench";
            }

            @Override
            public void stateChanged() {
            }

            @Override
            public void emit(String name, Map<String, Object> data) {
            }
        };
        CameraSettings settings = new CameraSettings(new BenchContext(dir));
        CameraService cameras = new CameraService(settings, new CameraStore(dir.resolve("cameras.json")), agent, scheduler);
        AtomicLong previewBytes = new AtomicLong();
        AtomicLong previewFrames = new AtomicLong();
        AtomicLong snapshotBytes = new AtomicLong();
        BinaryStreams streams = new BenchStreams(previewFrames, previewBytes, snapshotBytes);
        Previews previews = new Previews(cameras, streams);
        cameras.start();
        previews.start();

        cameras.add(new CameraSpec("bench", "bench", source, 0, 0, 0));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!cameras.require("bench").connected()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The camera did not connect: " + cameras.require("bench").lastError());
            }
            Thread.sleep(50);
        }
        Camera camera = cameras.require("bench");
        Path video = dir.resolve("recording.mp4");
        String codec = Streaming.h264Encoder() != null ? Streaming.h264Encoder() : "mpeg4";
        RecorderLike recorder = new RecorderLike(video, codec);
        CameraFeeds.FeedSubscription recording = cameras.subscribe("bench", "recorder", CameraFeeds.ConsumerRole.RECORDER, recorder::onFrame);
        previews.startPreview("bench", 2, 640, 300);
        Commands.Snapshot snapshot = new Commands.Snapshot(cameras, streams);
        AtomicLong snapshots = new AtomicLong();
        var snapshotTask = timer.scheduleAtFixedRate(() -> {
            try {
                snapshot.handle(request(Map.of("camera_id", "bench", "transfer", "s" + snapshots.get())));
                snapshots.incrementAndGet();
            } catch (Exception e) {
                System.err.println("snapshot failed: " + e.getMessage());
            }
        }, 1, 1, TimeUnit.SECONDS);

        Thread.sleep(3000); // warm-up: encoders started, JIT
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long wall0 = System.nanoTime();
        long frames0 = camera.frames();
        long recorded0 = recording.delivered();
        long recordDropped0 = recording.dropped();
        long preview0 = previewFrames.get();
        long snapshots0 = snapshots.get();
        Thread.sleep(seconds * 1000L);
        long cpu = os.getProcessCpuTime() - cpu0;
        double wall = (System.nanoTime() - wall0) / 1e9;
        long frames = camera.frames() - frames0;
        snapshotTask.cancel(false);
        recording.close();
        previews.stop();
        recorder.close();
        cameras.stop();
        timer.shutdownNow();

        Map<String, String> figures = new LinkedHashMap<>();
        figures.put("source", source + " (" + camera.frameWidth() + "x" + camera.frameHeight() + ")");
        figures.put("seconds measured", String.format("%.1f", wall));
        figures.put("camera frames/s", String.format("%.1f", frames / wall));
        figures.put("recorder frames/s (" + codec + ")", String.format("%.1f", (recording.delivered() - recorded0) / wall));
        figures.put("recorder dropped", String.valueOf(recording.dropped() - recordDropped0));
        figures.put("preview frames/s (640 px)", String.format("%.2f", (previewFrames.get() - preview0) / wall));
        figures.put("snapshots/s", String.format("%.2f", (snapshots.get() - snapshots0) / wall));
        figures.put("process CPU (% of one core)", String.format("%.0f", cpu / 1e9 / wall * 100));
        figures.put("CPU ms per camera frame", String.format("%.2f", frames == 0 ? 0 : cpu / 1e6 / frames));
        figures.put("cores available", String.valueOf(Runtime.getRuntime().availableProcessors()));
        figures.put("recording bytes", String.valueOf(Files.size(video)));
        figures.forEach((k, v) -> System.out.printf("%-34s %s%n", k, v));
        System.exit(0);
    }

    private static CommandRequest request(Map<String, Object> params) {
        return new CommandRequest() {
            @Override
            public String command() {
                return "cctv_snapshot";
            }

            @Override
            public String requestId() {
                return "bench";
            }

            @Override
            public Map<String, Object> params() {
                return params;
            }

            @Override
            public java.util.Optional<String> optionalString(String name) {
                return java.util.Optional.ofNullable(params.get(name)).map(String::valueOf);
            }
        };
    }

    /** Encodes every frame it gets to an MP4 file, as cctv-recording's recorder does. */
    static final class RecorderLike {
        private final Path file;
        private final String codec;
        private FFmpegFrameRecorder recorder;

        RecorderLike(Path file, String codec) {
            this.file = file;
            this.codec = codec;
        }

        synchronized void onFrame(CameraFrame frame) throws Exception {
            if (recorder == null) {
                recorder = new FFmpegFrameRecorder(file.toFile(), frame.width(), frame.height(), 0);
                recorder.setFormat("mp4");
                if (codec.equals("mpeg4")) {
                    recorder.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
                    recorder.setVideoQuality(5);
                } else {
                    recorder.setVideoCodecName(codec);
                    recorder.setVideoOption("preset", "veryfast");
                }
                recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
                recorder.setFrameRate(30);
                recorder.start();
            }
            recorder.record(frame.image(), frame.pixelFormat());
        }

        synchronized void close() throws Exception {
            if (recorder != null) {
                recorder.close();
            }
        }
    }

    private record BenchContext(Path dir) implements PluginContext {
        @Override
        public String pluginId() {
            return "cctv-cameras";
        }

        @Override
        public String version() {
            return "bench";
        }

        @Override
        public Path dataDir() {
            return dir;
        }

        @Override
        public java.util.Optional<String> config(String name) {
            return java.util.Optional.empty();
        }
    }

    /** Counts what would go to the server. */
    private record BenchStreams(AtomicLong previewFrames, AtomicLong previewBytes, AtomicLong snapshotBytes) implements BinaryStreams {
        @Override
        public LiveStream openLive(String name) {
            return new LiveStream() {
                @Override
                public String name() {
                    return name;
                }

                @Override
                public boolean offer(byte[] frame) {
                    previewFrames.incrementAndGet();
                    previewBytes.addAndGet(frame.length);
                    return true;
                }

                @Override
                public long dropped() {
                    return 0;
                }

                @Override
                public long sent() {
                    return previewFrames.get();
                }

                @Override
                public void close() {
                }
            };
        }

        @Override
        public Transfer openTransfer(String name) {
            return new Transfer() {
                private long written;

                @Override
                public String name() {
                    return name;
                }

                @Override
                public void write(byte[] bytes, Duration timeout) {
                    written += bytes.length;
                    snapshotBytes.addAndGet(bytes.length);
                }

                @Override
                public void finish() {
                }

                @Override
                public void abort(String reason) {
                }

                @Override
                public long bytesWritten() {
                    return written;
                }

                @Override
                public void close() {
                }
            };
        }
    }
}
