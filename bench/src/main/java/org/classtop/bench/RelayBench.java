package org.classtop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recording relay benchmark: MB/s of {@code GET /api/cctv/{uuid}/recordings/{id}/file} through the real
 * server, from an agent that serves a synthetic recording from memory over its WebSocket's binary lane as the
 * CCTV contract says (cctv_get_recording, then one lane transfer of 64 KiB chunks per cctv_recording_read
 * window). Prints MB/s for 1 download and for N at once (same agent; at most 4 run at once per agent by
 * default), a Range read of the middle, and the server's CPU seconds per GB when its PID is given.
 * The agent is in this process (on the load CPU), so the figure is the server's relay, not a disk.
 */
public final class RelayBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String url;
    private final String token;
    private final long serverPid;
    private final byte[] file;
    private final String uuid = "relay-bench-" + UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong transfers = new AtomicLong();
    private final ExecutorService writers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "relay-bench-writer");
        t.setDaemon(true);
        return t;
    });
    private WebSocket socket;
    private CompletableFuture<Void> sending = CompletableFuture.completedFuture(null);

    private RelayBench(String url, String token, long serverPid, int megabytes) {
        this.url = url;
        this.token = token;
        this.serverPid = serverPid;
        this.file = new byte[megabytes << 20];
        new Random(1).nextBytes(file);
    }

    public static void main(String[] argv) throws Exception {
        String url = null;
        long pid = 0;
        int megabytes = 256;
        int rounds = 3;
        int parallel = 4;
        for (int i = 0; i < argv.length; i += 2) {
            switch (argv[i]) {
                case "--url" -> url = argv[i + 1];
                case "--server-pid" -> pid = Long.parseLong(argv[i + 1]);
                case "--megabytes" -> megabytes = Integer.parseInt(argv[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(argv[i + 1]);
                case "--parallel" -> parallel = Integer.parseInt(argv[i + 1]);
                default -> throw new IllegalArgumentException("unknown flag " + argv[i]);
            }
        }
        String token = System.getenv("CLASSTOP_ADMIN_TOKEN");
        if (url == null || token == null) {
            throw new IllegalArgumentException("--url and CLASSTOP_ADMIN_TOKEN are needed");
        }
        RelayBench bench = new RelayBench(url, token, pid, megabytes);
        bench.connect();
        System.out.printf("recording relay: a %d MiB recording from an in-process agent over its WebSocket%n", megabytes);
        bench.download(1); // warm-up
        for (int r = 0; r < rounds; r++) {
            bench.measure(1);
        }
        for (int r = 0; r < rounds; r++) {
            bench.measure(parallel);
        }
        bench.range();
        bench.socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
    }

    private void connect() throws Exception {
        CompletableFuture<Void> registered = new CompletableFuture<>();
        socket = HTTP.newWebSocketBuilder().buildAsync(URI.create(url.replaceFirst("^http", "ws") + "/ws/" + uuid),
                new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            String frame = text.toString();
                            text.setLength(0);
                            try {
                                onFrame(JSON.readTree(frame), registered);
                            } catch (IOException e) {
                                throw new IllegalStateException(e);
                            }
                        }
                        ws.request(1);
                        return null;
                    }
                }).join();
        Map<String, Object> register = new LinkedHashMap<>();
        register.put("type", "register");
        register.put("client_uuid", uuid);
        register.put("name", "Relay bench");
        register.put("client_type", "client");
        register.put("protocol", 1);
        register.put("agent_version", "bench");
        register.put("capabilities", List.of("cctv_get_recording", "cctv_recording_read"));
        sendText(JSON.writeValueAsString(register));
        registered.get();
    }

    private void onFrame(JsonNode frame, CompletableFuture<Void> registered) throws IOException {
        switch (frame.path("type").asText()) {
            case "registered" -> registered.complete(null);
            case "command" -> answer(frame);
            default -> { } // heartbeat_ack, stream_credit (a window never exceeds the 1 MiB the server grants at once)
        }
    }

    private void answer(JsonNode command) throws IOException {
        JsonNode params = command.path("params");
        Map<String, Object> data = new LinkedHashMap<>();
        switch (command.path("command").asText()) {
            case "cctv_get_recording" -> {
                data.put("id", params.path("id").asLong());
                data.put("camera_id", "cam1");
                data.put("start", "2026-12-03T08:15:00Z");
                data.put("end", "2026-12-03T08:25:00Z");
                data.put("bytes", file.length);
            }
            case "cctv_recording_read" -> {
                long offset = params.path("offset").asLong();
                int length = params.path("length").asInt();
                String stream = "cctv-recording.file." + params.path("transfer").asText();
                long id = transfers.incrementAndGet();
                writers.execute(() -> write(stream, id, offset, length));
                data.put("id", params.path("id").asLong());
                data.put("size", file.length);
                data.put("offset", offset);
                data.put("length", length);
            }
            default -> data.put("error", "unknown command");
        }
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("type", "response");
        reply.put("request_id", command.path("request_id").asText());
        reply.put("success", !data.containsKey("error"));
        reply.put("data", data);
        sendText(JSON.writeValueAsString(reply));
    }

    private void write(String stream, long id, long offset, int length) {
        for (int sent = 0; sent < length; sent += 64 * 1024) {
            int n = Math.min(64 * 1024, length - sent);
            sendBinary(frame(2, stream, id, file, (int) offset + sent, n));
        }
        sendBinary(frame(3, stream, id, file, 0, 0));
    }

    /** A lane frame (docs/protocol.md): version, kind, name length, name, transfer id, payload. */
    private static ByteBuffer frame(int kind, String stream, long id, byte[] payload, int from, int length) {
        byte[] name = stream.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(3 + name.length + 8 + length);
        buffer.put((byte) 1).put((byte) kind).put((byte) name.length).put(name).putLong(id).put(payload, from, length);
        return buffer.flip();
    }

    private synchronized void sendText(String text) {
        sending = sending.thenCompose(v -> socket.sendText(text, true)).thenApply(w -> null);
    }

    private void sendBinary(ByteBuffer bytes) {
        CompletableFuture<Void> next;
        synchronized (this) {
            sending = next = sending.thenCompose(v -> socket.sendBinary(bytes, true)).thenApply(w -> null);
        }
        next.join(); // one frame at a time per writer: the socket's own back-pressure
    }

    private long download(int id) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/cctv/" + uuid
                + "/recordings/" + id + "/file")).header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("download answered " + response.statusCode());
        }
        long total = 0;
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                total += n;
            }
        }
        if (total != file.length) {
            throw new IllegalStateException("received " + total + " of " + file.length + " bytes");
        }
        return total;
    }

    private void measure(int parallel) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        long cpuBefore = cpuTicks();
        long start = System.nanoTime();
        List<Future<Long>> downloads = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            int id = i + 1;
            downloads.add(pool.submit(() -> download(id)));
        }
        long bytes = 0;
        for (Future<Long> download : downloads) {
            bytes += download.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpu = (cpuTicks() - cpuBefore) / 100.0;
        pool.shutdown();
        System.out.printf("  %d download(s) at once: %7.1f MB/s in all (%6.1f MB/s each), %.2f s%s%n", parallel,
                bytes / 1e6 / seconds, bytes / 1e6 / seconds / parallel, seconds,
                serverPid > 0 ? String.format(", server CPU %.2f s per GB", cpu / (bytes / 1e9)) : "");
    }

    private void range() throws Exception {
        long start = System.nanoTime();
        int count = 50;
        for (int i = 0; i < count; i++) {
            long from = (long) (file.length / 2) + i * 4096L;
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/cctv/" + uuid
                    + "/recordings/1/file")).header("Authorization", "Bearer " + token)
                    .header("Range", "bytes=" + from + "-" + (from + 65535)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 206 || response.body().length != 65536) {
                throw new IllegalStateException("range answered " + response.statusCode() + " with " + response.body().length);
            }
        }
        double ms = (System.nanoTime() - start) / 1e6 / count;
        System.out.printf("  64 KiB Range reads (a <video> seek): %.1f ms each (2 agent round trips: size, then bytes)%n", ms);
    }

    private long cpuTicks() {
        if (serverPid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException e) {
            return 0;
        }
    }
}
