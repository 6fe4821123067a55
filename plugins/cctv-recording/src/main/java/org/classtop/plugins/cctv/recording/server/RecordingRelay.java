package org.classtop.plugins.cctv.recording.server;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.Lifecycle;
import org.classtop.api.PluginContext;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.AgentTransfer;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.FileResponse;
import org.classtop.plugins.cctv.cameras.server.CctvCalls;

/**
 * Relays recording files from agents: {@code cctv_get_recording} gives the size, then each window of the
 * file comes as one {@code cctv_recording_read} whose bytes arrive on the lane transfer
 * {@code cctv-recording.file.<transfer>} ({@link RemoteRecording} asks for the windows as the browser
 * reads). Bounded: a download holds at most about two windows in memory, and at most
 * {@code MAX_DOWNLOADS_PER_AGENT} (4) per agent and {@code MAX_DOWNLOADS} (32) in all run at once (503
 * {@code TOO_MANY_DOWNLOADS} beyond). A window that makes no progress for {@code READ_TIMEOUT} (30 s), an
 * aborted transfer or a dropped agent fails the download: the browser's connection is closed before the
 * announced length, never a short answer that looks complete.
 */
@Singleton
public final class RecordingRelay implements AgentStreamReceiver, Lifecycle {
    static final String STREAM_PREFIX = "cctv-recording.file.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentCommands commands;
    private final Scheduler scheduler;
    private final PluginContext context;
    private final Map<String, RemoteRecording.Window> windows = new ConcurrentHashMap<>();
    /** Downloads per client uuid; an entry goes when its count returns to 0 (made-up uuids leave nothing behind). */
    private final Map<String, Integer> perAgent = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final List<Registration> held = new ArrayList<>();
    private volatile Settings settings = Settings.DEFAULTS;

    /** The relay's bounds (cctv-recording.*). */
    record Settings(int maxPerAgent, int maxTotal, int windowBytes, Duration readTimeout) {
        static final Settings DEFAULTS = new Settings(4, 32, 1 << 20, Duration.ofSeconds(30));
    }

    @Inject
    RecordingRelay(AgentCommands commands, Scheduler scheduler, PluginContext context) {
        this.commands = commands;
        this.scheduler = scheduler;
        this.context = context;
    }

    @Override
    public void start() {
        Settings d = Settings.DEFAULTS;
        int window = context.configInt("RELAY_WINDOW_BYTES", d.windowBytes());
        if (window < 64 * 1024 || window > 8 << 20) {
            throw new IllegalArgumentException("The setting cctv-recording.RELAY_WINDOW_BYTES must be from 65536 to 8388608.");
        }
        settings = new Settings(Math.max(1, context.configInt("MAX_DOWNLOADS_PER_AGENT", d.maxPerAgent())),
                Math.max(1, context.configInt("MAX_DOWNLOADS", d.maxTotal())), window,
                context.configDuration("READ_TIMEOUT", d.readTimeout()));
        held.add(scheduler.every(Duration.ofSeconds(1), this::checkProgress));
    }

    @Override
    public void stop() {
        held.forEach(Registration::close);
        held.clear();
        windows.values().forEach(w -> w.fail(new ApiException(503, "SERVER_STOPPING", "The server is stopping.")));
        windows.clear();
    }

    Settings settings() {
        return settings;
    }

    /** The file answer for recording {@code id}: 404 unknown recording, 503 too many downloads or offline. */
    CompletionStage<Object> open(ApiRequest request, long id, boolean download) {
        String uuid = request.pathParam("uuid");
        Runnable release = reserve(uuid);
        try {
            return CctvCalls.send(commands, context, request, "cctv_get_recording", Map.of("id", id)).thenApply(item -> {
                if (!(item instanceof Map<?, ?> map) || !(map.get("bytes") instanceof Number bytes) || bytes.longValue() < 0) {
                    throw new ApiException(502, "BAD_AGENT_ANSWER", "The agent's answer to cctv_get_recording has no size.");
                }
                long size = bytes.longValue();
                String camera = String.valueOf(map.get("camera_id"));
                String start = String.valueOf(map.get("start"));
                String etag = "rec-" + id + "-" + Long.toHexString(size) + "-" + Integer.toHexString(start.hashCode());
                FileResponse file = FileResponse.of(new RemoteRecording(this, uuid, id, size, etag, release), "video/mp4");
                return (Object) (download ? file.downloadAs(fileName(camera, start, id)) : file);
            }).whenComplete((file, error) -> {
                if (error != null) {
                    release.run();
                }
            });
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }

    /** {@code cam1_2026-12-03T08-15-00Z.mp4}: only safe characters in a download name. */
    static String fileName(String camera, String start, long id) {
        String name = (camera + "_" + start).replaceAll("[^A-Za-z0-9_-]", "-");
        return (name.length() > 100 ? "recording-" + id : name) + ".mp4";
    }

    /** Takes a download place; the returned action gives it back (once). */
    Runnable reserve(String uuid) {
        Settings s = settings;
        if (total.incrementAndGet() > s.maxTotal()) {
            total.decrementAndGet();
            throw ApiException.unavailable("TOO_MANY_DOWNLOADS", "This server already relays " + s.maxTotal()
                    + " recordings, the most at once (cctv-recording.MAX_DOWNLOADS); try again shortly.");
        }
        boolean[] taken = new boolean[1];
        perAgent.compute(uuid, (k, n) -> {
            int count = n == null ? 0 : n;
            if (count >= s.maxPerAgent()) {
                return n;
            }
            taken[0] = true;
            return count + 1;
        });
        if (!taken[0]) {
            total.decrementAndGet();
            throw ApiException.unavailable("TOO_MANY_DOWNLOADS", "This client already sends " + s.maxPerAgent()
                    + " recordings, the most at once (cctv-recording.MAX_DOWNLOADS_PER_AGENT); try again shortly.");
        }
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                perAgent.computeIfPresent(uuid, (k, n) -> n <= 1 ? null : n - 1);
                total.decrementAndGet();
            }
        };
    }

    /** Clients with downloads running now (tests). */
    int agentsCounted() {
        return perAgent.size();
    }

    /** Downloads running now (tests, benchmarks). */
    int running() {
        return total.get();
    }

    /** Sends one window's cctv_recording_read; its bytes go to {@code window} as they arrive. */
    void request(RemoteRecording.Window window) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        String transfer = "r" + HexFormat.of().formatHex(random);
        window.transfer = transfer;
        windows.put(transfer, window);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("id", window.owner.id);
        params.put("offset", window.offset);
        params.put("length", window.length);
        params.put("transfer", transfer);
        CompletionStage<Object> sent;
        try {
            sent = CctvCalls.mapFailures(commands.request(window.owner.clientUuid, "cctv_recording_read").params(params)
                    .timeout(settings.readTimeout()).send());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((answer, error) -> {
            if (error != null) {
                window.fail(CctvCalls.map(error));
            } else if (answer instanceof Map<?, ?> map && map.get("size") instanceof Number size
                    && size.longValue() != window.owner.length()) {
                window.fail(new ApiException(409, "RECORDING_CHANGED", "The recording changed on the client while it was "
                        + "being sent (" + size.longValue() + " bytes instead of " + window.owner.length() + ")."));
            }
        });
    }

    void forget(RemoteRecording.Window window) {
        if (window.transfer != null) {
            windows.remove(window.transfer, window);
        }
    }

    private RemoteRecording.Window windowOf(AgentTransfer transfer) {
        String name = transfer.stream().startsWith(STREAM_PREFIX) ? transfer.stream().substring(STREAM_PREFIX.length()) : "";
        RemoteRecording.Window window = windows.get(name);
        if (window == null || !window.owner.clientUuid.equals(transfer.clientUuid())) {
            // Not (or no longer) wanted: a download that ended, or a transfer nobody asked this agent for. Throwing aborts it.
            throw new IllegalStateException("No download is waiting for this transfer.");
        }
        return window;
    }

    @Override
    public void onTransferChunk(AgentTransfer transfer, byte[] chunk) {
        windowOf(transfer).chunk(chunk);
    }

    @Override
    public void onTransferEnd(AgentTransfer transfer) {
        windowOf(transfer).end();
    }

    @Override
    public void onTransferAbort(AgentTransfer transfer, String reason) {
        String name = transfer.stream().startsWith(STREAM_PREFIX) ? transfer.stream().substring(STREAM_PREFIX.length()) : "";
        RemoteRecording.Window window = windows.get(name);
        if (window != null && window.owner.clientUuid.equals(transfer.clientUuid())) {
            forget(window);
            window.fail(new ApiException(502, "TRANSFER_ABORTED", "The recording's transfer from the client broke off: " + reason));
        }
    }

    private void checkProgress() {
        long now = System.nanoTime();
        long limit = settings.readTimeout().toNanos();
        for (RemoteRecording.Window window : windows.values()) {
            if (now - window.lastProgressNanos > limit) {
                window.fail(new ApiException(504, "TRANSFER_TIMEOUT", "The client sent no part of the recording for "
                        + settings.readTimeout().toSeconds() + " seconds."));
            }
        }
    }
}
