package org.classtop.plugins.cctv.cameras.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.AbstractModule;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.api.Lifecycle;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.AgentTransfer;
import org.classtop.api.server.ServerPlugin;
import org.classtop.plugins.cctv.cameras.CameraFeeds;
import org.classtop.plugins.videosources.VideoSourcesAgentPlugin;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;

/**
 * A real server (in-process, port 0) and a real agent runtime connected to it, with video-sources,
 * cctv-cameras and a probe plugin that depends on cctv-cameras and injects its exported {@link CameraFeeds}.
 * The server side is a stand-in for cctv-cameras' own: it only receives the agent's preview and snapshot
 * streams.
 */
final class CamerasRig implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String UUID = "cam-pc";

    final Received received = new Received();
    final Probe probe = new Probe();
    final TestServer server;
    private final Path agentDir;
    private final Map<String, String> environment = new ConcurrentHashMap<>();
    AgentRuntime agent;

    CamerasRig(Path agentDir, Map<String, String> settings) throws Exception {
        this.agentDir = Files.createDirectories(agentDir);
        this.environment.putAll(settings);
        server = TestServer.builder().plugin("cctv-cameras", new StandInServer(received)).start();
        startAgent();
    }

    void startAgent() throws Exception {
        probe.feeds = null;
        agent = AgentRuntime.builder(AgentConfig.builder(URI.create(server.baseUrl()))
                        .dataDir(agentDir).clientUuid(UUID).name("Camera PC").build())
                .plugin("video-sources", new VideoSourcesAgentPlugin())
                .plugin("cctv-cameras", "0.1.0", List.of("video-sources"), new CctvCamerasAgentPlugin())
                .plugin("cctv-probe", "0.1.0", List.of("cctv-cameras"), new ProbePlugin(probe))
                .environment(environment::get)
                .stateCoalesceWindow(Duration.ofMillis(50))
                .build();
        agent.start();
        agent.firstRegistration().get(20, TimeUnit.SECONDS);
    }

    void restartAgent() throws Exception {
        agent.close();
        agent.awaitTermination();
        startAgent();
    }

    CameraFeeds feeds() {
        return Poll.value("the probe has CameraFeeds", WAIT, () -> probe.feeds, feeds -> feeds != null);
    }

    /** Runs a command on the agent through the server's command route. */
    ApiResult command(String name, Map<String, ?> params) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("command", name);
        body.put("params", params);
        body.put("timeout", 20);
        return server.api().post("/api/clients/" + UUID + "/command", body);
    }

    JsonNode ok(String name, Map<String, ?> params) {
        ApiResult result = command(name, params);
        if (result.status() != 200) {
            throw new AssertionError(name + " " + params + " failed: " + result);
        }
        return result.data();
    }

    JsonNode state(String cameraId) {
        return ok("cctv_get_camera_state", Map.of("camera_id", cameraId));
    }

    void awaitConnected(String cameraId) {
        Poll.until("camera " + cameraId + " connected", WAIT, () -> state(cameraId).path("connected").asBoolean());
    }

    /** The agent's answer data of the newest logged command of that name (the command log keeps failures' data). */
    JsonNode loggedAnswer(String command) {
        JsonNode items = server.api().get("/api/commands?client=" + UUID + "&command=" + command + "&limit=1").data();
        JsonNode list = items.isArray() ? items : items.path("items");
        return list.get(0);
    }

    List<String> events() {
        List<String> names = new ArrayList<>();
        server.api().get("/api/events?client=" + UUID + "&prefix=cctv-cameras.").data()
                .forEach(e -> names.add(e.path("event").asText() + " " + e.path("data")));
        return names;
    }

    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    /** What the stand-in server side received over the binary lane. */
    static final class Received {
        final List<byte[]> previews = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<Long> previewNanos = java.util.Collections.synchronizedList(new ArrayList<>());
        final Map<String, ByteArrayOutputStream> transfers = new ConcurrentHashMap<>();
        final Map<String, Boolean> finished = new ConcurrentHashMap<>();
    }

    static final class StandInServer extends ServerPlugin {
        private final Received received;

        StandInServer(Received received) {
            this.received = received;
        }

        @Override
        protected void configure() {
            install(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(Received.class).toInstance(received);
                }
            });
            agentStreams("preview.*").to(Sink.class);
            agentStreams("snapshot.*").to(Sink.class);
        }
    }

    static final class Sink implements AgentStreamReceiver {
        private final Received received;

        @Inject
        Sink(Received received) {
            this.received = received;
        }

        @Override
        public void onLiveFrame(String clientUuid, String stream, byte[] frame) {
            received.previews.add(frame);
            received.previewNanos.add(System.nanoTime());
        }

        @Override
        public void onTransferChunk(AgentTransfer transfer, byte[] chunk) {
            received.transfers.computeIfAbsent(transfer.stream(), s -> new ByteArrayOutputStream()).writeBytes(chunk);
        }

        @Override
        public void onTransferEnd(AgentTransfer transfer) {
            received.transfers.computeIfAbsent(transfer.stream(), s -> new ByteArrayOutputStream());
            received.finished.put(transfer.stream(), true);
        }
    }

    /** Holds the CameraFeeds instance the probe plugin was given. */
    static final class Probe {
        volatile CameraFeeds feeds;
    }

    static final class ProbePlugin extends AgentPlugin {
        private final Probe probe;

        ProbePlugin(Probe probe) {
            this.probe = probe;
        }

        @Override
        protected void configure() {
            install(new AbstractModule() {
                @Override
                protected void configure() {
                    bind(Probe.class).toInstance(probe);
                }
            });
            lifecycle(Holder.class);
        }
    }

    static final class Holder implements Lifecycle {
        private final Probe probe;
        private final CameraFeeds feeds;

        @Inject
        Holder(Probe probe, CameraFeeds feeds) {
            this.probe = probe;
            this.feeds = feeds;
        }

        @Override
        public void start() {
            probe.feeds = feeds;
        }
    }
}
