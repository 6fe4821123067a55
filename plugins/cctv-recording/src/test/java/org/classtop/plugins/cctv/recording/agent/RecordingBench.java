package org.classtop.plugins.cctv.recording.agent;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.testing.ApiResult;
import org.classtop.testing.TestServer;

/**
 * TEST-SCOPED BENCHMARK (bench/recording.sh), not a test: (1) one camera recorded by the real recorder for N seconds:
 * frames/s grabbed and recorded, the recorder's drops, process CPU; (2) cctv_recording_read of a 64 MiB recording
 * through the real agent runtime and the real server in-process (loopback WebSocket, binary lane with credit):
 * MB/s from the command to the last byte at the receiver.
 */
public final class RecordingBench {
    private RecordingBench() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        String size = args.length > 1 ? args[1] : "1280x720";
        int fps = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        Path dir = Files.createTempDirectory("recording-bench");
        System.out.printf("encoder: %s; cores: %d%n", VideoFiles.encoder().label(), Runtime.getRuntime().availableProcessors());
        record(dir.resolve("record"), seconds, size, fps);
        relay(dir.resolve("relay"));
        System.exit(0);
    }

    private static void record(Path dir, int seconds, String size, int fps) throws Exception {
        String[] wh = size.split("x");
        LavfiCameraFeeds feeds = new LavfiCameraFeeds("testsrc=size=" + size + ":rate=" + fps,
                Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), fps, "bench");
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Rig rig = new Rig(dir, feeds, Map.of()).start()) {
            rig.recorders.startRecording("bench", 10);
            Thread.sleep(3_000); // warm up: grabber and encoder open, JIT
            long grabbed0 = feeds.grabbed("bench");
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long grabbed = feeds.grabbed("bench") - grabbed0;
            long cpu = os.getProcessCpuTime() - cpu0;
            double wall = (System.nanoTime() - t0) / 1e9;
            rig.recorders.stopRecording("bench");
            long frames = rig.agent.events().stream().filter(e -> e.name().equals("segment_finished"))
                    .mapToLong(e -> ((Number) e.data().get("frames")).longValue()).sum();
            long dropped = rig.agent.events().stream().filter(e -> e.name().equals("segment_finished"))
                    .mapToLong(e -> ((Number) e.data().get("dropped")).longValue()).sum();
            long bytes = rig.index.oldestFirst().stream().mapToLong(r -> r.bytes()).sum();
            System.out.printf("record %s@%d for %.1f s: camera %.1f fps grabbed; %d frames recorded, %d dropped by the recorder's queue, in %d segments (%.1f MB, %.2f Mbit/s);"
                            + " process CPU %.0f%% of one core (%.1f ms per grabbed frame, grabber + recorder)%n",
                    size, fps, wall, grabbed / wall, frames, dropped, rig.index.oldestFirst().size(), bytes / 1e6,
                    bytes * 8 / 1e6 / (wall + 3), 100.0 * cpu / 1e9 / wall, cpu / 1e6 / Math.max(1, grabbed));
        }
    }

    private static void relay(Path dir) throws Exception {
        Path agentDir = Files.createDirectories(dir.resolve("agent"));
        Path recordings = Files.createDirectories(agentDir.resolve("plugins/cctv-recording/recordings/bench"));
        byte[] content = new byte[64 << 20];
        new Random(1).nextBytes(content);
        Path file = Files.write(recordings.resolve("bench_20261201T000000Z.mp4"), content);
        Rig rig = new Rig(agentDir.resolve("plugins/cctv-recording"));
        long id = rig.index.add("bench", Instant.parse("2026-12-01T00:00:00Z"), Instant.parse("2026-12-01T00:01:00Z"),
                content.length, file).id();
        rig.index.close();
        try (TestServer server = TestServer.builder().plugin("cctv-recording",
                new RecordingTransferEndToEndTest.ServerSide(), new CctvRecordingAgentPlugin()).start();
             AgentRuntime agent = AgentRuntime.builder(AgentConfig.builder(URI.create(server.baseUrl()))
                             .dataDir(agentDir).clientUuid("bench-pc").name("Bench PC").build())
                     .plugin("cctv-cameras", new RecordingTransferEndToEndTest.CamerasSide())
                     .plugin("cctv-recording", "0.1.0", List.of("cctv-cameras"), new CctvRecordingAgentPlugin())
                     .build()) {
            agent.start();
            agent.firstRegistration().get(20, TimeUnit.SECONDS);
            for (int run = 1; run <= 3; run++) {
                String transfer = "bench-" + run;
                long t0 = System.nanoTime();
                ApiResult read = server.api().post("/api/clients/bench-pc/command", Map.of("command", "cctv_recording_read",
                        "params", Map.of("id", id, "offset", 0, "length", content.length, "transfer", transfer)));
                if (read.status() != 200) {
                    throw new IllegalStateException(read.toString());
                }
                byte[] got = RecordingTransferEndToEndTest.RECEIVED
                        .computeIfAbsent("cctv-recording.file." + transfer, s -> new CompletableFuture<>()).get(120, TimeUnit.SECONDS);
                double wall = (System.nanoTime() - t0) / 1e9;
                if (got.length != content.length) {
                    throw new IllegalStateException("got " + got.length + " bytes");
                }
                RecordingTransferEndToEndTest.BUFFERS.remove("cctv-recording.file." + transfer);
                System.out.printf("relay run %d: %d MiB agent -> server in %.2f s: %.1f MB/s%n", run, content.length >> 20, wall,
                        content.length / 1e6 / wall);
            }
        }
    }

}
