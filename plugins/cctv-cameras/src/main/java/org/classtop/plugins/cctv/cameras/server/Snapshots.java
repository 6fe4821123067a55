package org.classtop.plugins.cctv.cameras.server;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.classtop.api.PluginContext;
import org.classtop.api.server.AgentCommands;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.AgentTransfer;
import org.classtop.api.server.ApiException;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.ApiResponse;

/**
 * Snapshots: the server picks an unguessable transfer name, sends {@code cctv_snapshot}, and the agent
 * writes one JPEG to the lane transfer {@code cctv-cameras.snapshot.<transfer>}. The answer is ready when
 * both the command's answer and the whole transfer are in. Bounded: at most {@value #MAX_BYTES} bytes a
 * snapshot and {@value #MAX_PENDING} waiting at once; a transfer nobody asked for is refused.
 */
@Singleton
public final class Snapshots implements AgentStreamReceiver {
    static final int MAX_BYTES = 4 << 20;
    static final int MAX_PENDING = 64;
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String STREAM_PREFIX = "cctv-cameras.snapshot.";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgentCommands commands;
    private final PluginContext context;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        final String clientUuid;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();

        Pending(String clientUuid) {
            this.clientUuid = clientUuid;
        }
    }

    @Inject
    Snapshots(AgentCommands commands, PluginContext context) {
        this.commands = commands;
        this.context = context;
    }

    /** One JPEG of the camera's newest frame: 404 unknown camera, 503 no frame yet or offline, 504 too slow. */
    CompletionStage<Object> take(ApiRequest request, String cameraId) {
        if (pending.size() >= MAX_PENDING) {
            throw ApiException.unavailable("TOO_MANY_SNAPSHOTS", "This server is already waiting for " + MAX_PENDING
                    + " snapshots; try again in a moment.");
        }
        String uuid = request.pathParam("uuid");
        Duration timeout = context.configDuration("SNAPSHOT_TIMEOUT", DEFAULT_TIMEOUT);
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String transfer = HexFormat.of().formatHex(random);
        Pending waiting = new Pending(uuid);
        pending.put(transfer, waiting);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("camera_id", cameraId);
        params.put("transfer", transfer);
        CompletableFuture<Object> answer = CctvCalls.send(commands, request, "cctv_snapshot", params, timeout).toCompletableFuture();
        answer.whenComplete((data, error) -> {
            if (error != null) {
                waiting.done.completeExceptionally(error); // no bytes will come
            }
        });
        return answer.thenCombine(waiting.done, (data, jpeg) -> (Object) ApiResponse.bytes("image/jpeg", jpeg)
                        .withHeaders(Map.of("Cache-Control", "no-store")))
                .orTimeout(timeout.toMillis() + 2000, TimeUnit.MILLISECONDS)
                .exceptionally(error -> {
                    Throwable cause = CctvCalls.map(error);
                    if (answer.isCompletedExceptionally()) { // the command's own failure says most
                        cause = CctvCalls.map(answer.handle((d, e) -> e).join());
                    }
                    if (cause instanceof java.util.concurrent.TimeoutException) {
                        cause = new ApiException(504, "SNAPSHOT_TIMEOUT", "The snapshot of camera '" + cameraId
                                + "' did not arrive within " + timeout.toSeconds() + " seconds.");
                    }
                    throw cause instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(cause);
                })
                .whenComplete((value, error) -> pending.remove(transfer));
    }

    private Pending of(AgentTransfer transfer) {
        String name = transfer.stream().startsWith(STREAM_PREFIX) ? transfer.stream().substring(STREAM_PREFIX.length()) : "";
        Pending waiting = pending.get(name);
        if (waiting == null || !waiting.clientUuid.equals(transfer.clientUuid())) {
            throw new IllegalStateException("No snapshot with this transfer name was asked of this agent.");
        }
        return waiting;
    }

    @Override
    public void onTransferChunk(AgentTransfer transfer, byte[] chunk) {
        Pending waiting = of(transfer);
        if (waiting.bytes.size() + chunk.length > MAX_BYTES) {
            waiting.done.completeExceptionally(new ApiException(502, "SNAPSHOT_TOO_LARGE", "The agent sent a snapshot of more than "
                    + MAX_BYTES / (1 << 20) + " MiB."));
            throw new IllegalStateException("A snapshot is at most " + MAX_BYTES + " bytes.");
        }
        waiting.bytes.write(chunk, 0, chunk.length);
    }

    @Override
    public void onTransferEnd(AgentTransfer transfer) {
        Pending waiting = of(transfer);
        byte[] jpeg = waiting.bytes.toByteArray();
        if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
            waiting.done.completeExceptionally(new ApiException(502, "BAD_SNAPSHOT", "The agent's snapshot is not a JPEG image."));
        } else {
            waiting.done.complete(jpeg);
        }
    }

    @Override
    public void onTransferAbort(AgentTransfer transfer, String reason) {
        Pending waiting = pending.get(transfer.stream().substring(Math.min(transfer.stream().length(), STREAM_PREFIX.length())));
        if (waiting != null && waiting.clientUuid.equals(transfer.clientUuid())) {
            waiting.done.completeExceptionally(new ApiException(502, "SNAPSHOT_FAILED", "The snapshot transfer failed: " + reason));
        }
    }
}
