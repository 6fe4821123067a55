package org.classtop.plugins.cctv.recording.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.classtop.plugins.cctv.cameras.server.CctvCamerasServerPlugin;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.ClassTopServerExtension;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * cctv-recording's routes on the real server (in-process) against a scripted agent that serves a
 * recording over the binary lane as the contract says (cctv_get_recording, then cctv_recording_read
 * windows as transfers): whole file, Range cases (first bytes, middle, suffix, 416, If-Range), HEAD, bad
 * ids, the agent dropped or aborting mid-download (the browser sees a cut-off body, never a complete 200),
 * a hostile agent sending more than asked, the cap on concurrent downloads, and the list and delete routes.
 */
class RecordingRoutesTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final byte[] FILE = new byte[3 * 1024 * 1024 + 123];

    static {
        new Random(42).nextBytes(FILE);
    }

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b
            .pluginConfig("cctv-recording.COMMAND_TIMEOUT", "2")
            .pluginConfig("cctv-recording.READ_TIMEOUT", "3")
            .pluginConfig("cctv-recording.MAX_DOWNLOADS_PER_AGENT", "2")
            .plugin("cctv-cameras", new CctvCamerasServerPlugin())
            .plugin("cctv-recording", List.of("cctv-cameras"), new CctvRecordingServerPlugin()));

    private final List<AutoCloseable> opened = new ArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : opened) {
            c.close();
        }
    }

    /** How the scripted agent sends recording {@code id}. */
    enum Behaviour { NORMAL, DROP_CONNECTION, ABORT_TRANSFER, TOO_MUCH, NOTHING, SLOW }

    /** The scripted agent's file readers for SLOW (like the real agent's few FileReads threads). */
    private final Semaphore readers = new Semaphore(2);
    private final AtomicInteger busyAnswers = new AtomicInteger();
    private final AtomicInteger abortsSeen = new AtomicInteger();

    private static Behaviour behaviour(long id) {
        return switch ((int) id) {
            case 1 -> Behaviour.NORMAL;
            case 2 -> Behaviour.DROP_CONNECTION;
            case 3 -> Behaviour.ABORT_TRANSFER;
            case 4 -> Behaviour.TOO_MUCH;
            case 5 -> Behaviour.NOTHING;
            case 6 -> Behaviour.SLOW;
            default -> null;
        };
    }

    private FakeAgent agent(String uuid) {
        AtomicReference<FakeAgent> self = new AtomicReference<>();
        FakeAgent agent = SERVER.get().agent(uuid, "Room " + uuid, a -> a
                .on("cctv_get_recordings", params -> {
                    commands.add("cctv_get_recordings " + params);
                    // one good row, then a hostile agent's rows whose id or camera_id would steer the browser's URLs
                    return Map.of("recordings", List.of(Map.of("id", 1, "camera_id", "cam1", "start", "2026-12-03T08:15:00Z",
                            "end", "2026-12-03T08:16:00Z", "bytes", FILE.length, "path", "cam1/cam1_20261203T081500Z.mp4"),
                            hostileRow("../../../plugins/x?purge=true", "cam1"), hostileRow(-3, "cam1"), hostileRow(0, "cam1"),
                            hostileRow(2.5, "cam1"), hostileRow(7, "../x"), hostileRow(8, 8)));
                })
                .on("cctv_get_recording", params -> {
                    commands.add("cctv_get_recording " + params);
                    long id = params.path("id").asLong();
                    if (behaviour(id) == null) {
                        throw new FakeAgent.Failure("There is no recording " + id + ".", "RECORDING_NOT_FOUND");
                    }
                    return Map.of("id", id, "camera_id", "cam1", "start", "2026-12-03T08:15:00Z", "end", "2026-12-03T08:16:00Z",
                            "bytes", FILE.length, "path", "cam1/cam1_20261203T081500Z.mp4");
                })
                .on("cctv_delete_recording", params -> {
                    commands.add("cctv_delete_recording " + params);
                    long id = params.path("id").asLong();
                    if (id != 1) {
                        throw new FakeAgent.Failure("There is no recording " + id + ".", "RECORDING_NOT_FOUND");
                    }
                    return Map.of("id", id, "deleted", true, "bytes", FILE.length);
                })
                .on("cctv_recording_read", params -> {
                    commands.add("cctv_recording_read " + params);
                    long id = params.path("id").asLong();
                    long offset = params.path("offset").asLong();
                    int length = params.path("length").asInt();
                    String stream = "cctv-recording.file." + params.path("transfer").asText();
                    if (behaviour(id) == Behaviour.SLOW && !readers.tryAcquire()) {
                        busyAnswers.incrementAndGet();
                        throw new FakeAgent.Failure("All file readers are busy.", "RECORDING_BUSY");
                    }
                    Thread writer = new Thread(behaviour(id) == Behaviour.SLOW
                            ? () -> writeSlowly(self.get(), stream, offset, length)
                            : () -> write(self.get(), behaviour(id), stream, offset, length));
                    writer.setDaemon(true);
                    writer.start();
                    return Map.of("id", id, "size", FILE.length, "offset", offset, "length", length);
                }));
        self.set(agent);
        opened.add(agent);
        return agent;
    }

    private static Map<String, Object> hostileRow(Object id, Object camera) {
        return Map.of("id", id, "camera_id", camera, "start", "2026-12-03T08:15:00Z", "end", "2026-12-03T08:16:00Z", "bytes", 1);
    }

    private static long transferIds = 0;

    /** Sends [offset, offset+length) in 64 KiB chunks, or misbehaves as told. */
    private static void write(FakeAgent agent, Behaviour how, String stream, long offset, int length) {
        long transfer;
        synchronized (RecordingRoutesTest.class) {
            transfer = ++transferIds;
        }
        if (how == Behaviour.NOTHING) {
            return;
        }
        int sent = 0;
        while (sent < length) {
            int n = Math.min(64 * 1024, length - sent);
            agent.sendChunk(stream, transfer, Arrays.copyOfRange(FILE, (int) offset + sent, (int) offset + sent + n));
            sent += n;
            if (sent >= length / 2 && how == Behaviour.DROP_CONNECTION) {
                // Mid-download means after the answer to the read, which the fake agent sends once the handler
                // returned, on another thread: without this wait a fast run drops the agent before it answered
                // (the server then rightly says 503, a different case).
                sleepQuietly(300);
                agent.abort();
                return;
            }
            if (sent >= length / 2 && how == Behaviour.ABORT_TRANSFER) {
                agent.sendTransferAbort(stream, transfer, "The recording file vanished.");
                return;
            }
        }
        if (how == Behaviour.TOO_MUCH) {
            agent.sendChunk(stream, transfer, new byte[100]);
        }
        agent.sendTransferEnd(stream, transfer);
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SLOW: 8 KiB chunks at an agent's pace; the reader is busy until the window is sent or the server aborts it. */
    private void writeSlowly(FakeAgent agent, String stream, long offset, int length) {
        long transfer;
        synchronized (RecordingRoutesTest.class) {
            transfer = ++transferIds;
        }
        try {
            for (int sent = 0; sent < length; ) {
                if (aborted(agent, stream, transfer)) {
                    abortsSeen.incrementAndGet();
                    return;
                }
                int n = Math.min(8 * 1024, length - sent);
                agent.sendChunk(stream, transfer, Arrays.copyOfRange(FILE, (int) offset + sent, (int) offset + sent + n));
                sent += n;
                Thread.sleep(2);
            }
            agent.sendTransferEnd(stream, transfer);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            readers.release();
        }
    }

    private static boolean aborted(FakeAgent agent, String stream, long transfer) {
        return agent.history().stream().anyMatch(m -> "stream_abort".equals(m.path("type").asText())
                && stream.equals(m.path("stream").asText()) && m.path("transfer_id").asLong() == transfer);
    }

    private static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        return send("GET", path, headers);
    }

    private static HttpResponse<byte[]> send(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(SERVER.get().baseUrl() + path))
                .header("Authorization", "Bearer " + SERVER.get().adminToken()).method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private long reads() {
        return commands.stream().filter(c -> c.startsWith("cctv_recording_read ")).count();
    }

    private static void assertError(ApiResult result, int status, String code) {
        assertEquals(status, result.status(), () -> "status of " + result);
        assertFalse(result.success(), result::toString);
        assertEquals(code, result.code(), result::toString);
        assertTrue(result.error() != null && result.error().endsWith("."), () -> "a sentence: " + result.error());
    }

    @Test
    void theWholeFileIsRelayedInWindows() throws Exception {
        agent("pc-1");
        HttpResponse<byte[]> whole = get("/api/cctv/pc-1/recordings/1/file");
        assertEquals(200, whole.statusCode());
        assertEquals("video/mp4", whole.headers().firstValue("Content-Type").orElse(""));
        assertEquals("bytes", whole.headers().firstValue("Accept-Ranges").orElse(""));
        assertEquals(String.valueOf(FILE.length), whole.headers().firstValue("Content-Length").orElse(""));
        assertTrue(whole.headers().firstValue("ETag").isPresent());
        assertArrayEquals(FILE, whole.body());
        // windows grow from 256 KiB to the 1 MiB window: 256K + 512K + 1M + 1M + the rest
        assertEquals(5, reads(), commands::toString);

        HttpResponse<byte[]> download = get("/api/cctv/pc-1/recordings/1/file?download=true");
        assertEquals("attachment; filename=\"cam1_2026-12-03T08-15-00Z.mp4\"",
                download.headers().firstValue("Content-Disposition").orElse(""));
        assertArrayEquals(FILE, download.body());
    }

    @Test
    void rangesFirstBytesMiddleSuffixAndPastTheEnd() throws Exception {
        agent("pc-2");
        HttpResponse<byte[]> first = get("/api/cctv/pc-2/recordings/1/file", "Range", "bytes=0-99");
        assertEquals(206, first.statusCode());
        assertEquals("bytes 0-99/" + FILE.length, first.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOf(FILE, 100), first.body());

        HttpResponse<byte[]> middle = get("/api/cctv/pc-2/recordings/1/file", "Range", "bytes=1000000-1999999");
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 1000000-1999999/" + FILE.length, middle.headers().firstValue("Content-Range").orElse(""));
        assertArrayEquals(Arrays.copyOfRange(FILE, 1_000_000, 2_000_000), middle.body());

        HttpResponse<byte[]> suffix = get("/api/cctv/pc-2/recordings/1/file", "Range", "bytes=-500");
        assertEquals(206, suffix.statusCode());
        assertArrayEquals(Arrays.copyOfRange(FILE, FILE.length - 500, FILE.length), suffix.body());

        long before = reads();
        HttpResponse<byte[]> past = get("/api/cctv/pc-2/recordings/1/file", "Range", "bytes=" + FILE.length + "-");
        assertEquals(416, past.statusCode());
        assertEquals("bytes */" + FILE.length, past.headers().firstValue("Content-Range").orElse(""));
        assertTrue(new String(past.body()).contains("RANGE_NOT_SATISFIABLE"));

        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> sameVersion = get("/api/cctv/pc-2/recordings/1/file", "Range", "bytes=10-19", "If-Range", etag);
        assertEquals(206, sameVersion.statusCode());
        assertArrayEquals(Arrays.copyOfRange(FILE, 10, 20), sameVersion.body());
        HttpResponse<byte[]> otherVersion = get("/api/cctv/pc-2/recordings/1/file", "Range", "bytes=10-19", "If-Range", "\"old\"");
        assertEquals(200, otherVersion.statusCode());
        assertEquals(FILE.length, otherVersion.body().length);
        assertTrue(reads() > before);
        long beforeShort = reads();
        get("/api/cctv/pc-2/recordings/1/file", "Range", "bytes=5000-5099");
        assertTrue(commands.get(commands.size() - 1).contains("\"length\":100"), "a short range asks only its bytes: " + commands);
        assertEquals(beforeShort + 1, reads());

        long beforeHead = reads();
        HttpResponse<byte[]> head = send("HEAD", "/api/cctv/pc-2/recordings/1/file");
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(FILE.length), head.headers().firstValue("Content-Length").orElse(""));
        assertEquals(0, head.body().length);
        assertEquals(beforeHead, reads(), "HEAD reads no bytes from the agent");
    }

    @Test
    void badRecordingIdsNeverReachTheAgent() {
        agent("pc-3");
        ApiClient api = SERVER.get().api();
        for (String id : List.of("abc", "0", "-1", "1.5", "..%2F..%2Fetc%2Fpasswd", "99999999999999999999")) {
            assertError(api.get("/api/cctv/pc-3/recordings/" + id + "/file"), 400, "BAD_RECORDING_ID");
            assertError(api.delete("/api/cctv/pc-3/recordings/" + id), 400, "BAD_RECORDING_ID");
        }
        assertEquals(List.of(), commands);
        assertError(api.get("/api/cctv/pc-3/recordings/77/file"), 404, "RECORDING_NOT_FOUND");
        assertError(api.delete("/api/cctv/pc-3/recordings/77"), 404, "RECORDING_NOT_FOUND");
        assertError(api.get("/api/cctv/nobody/recordings/1/file"), 404, "CLIENT_NOT_FOUND");
    }

    /** Reads the whole body: the failure the browser would see, or null when it arrived whole. */
    private static IOException readExpectingCut(String path, long[] got) throws Exception {
        HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(SERVER.get().baseUrl() + path))
                .header("Authorization", "Bearer " + SERVER.get().adminToken()).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals(String.valueOf(FILE.length), response.headers().firstValue("Content-Length").orElse(""));
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        try (InputStream in = response.body()) {
            in.transferTo(received);
        } catch (IOException e) {
            got[0] = received.size();
            return e;
        }
        got[0] = received.size();
        return null;
    }

    @Test
    void anAgentDroppedMidDownloadCutsTheBodyOff() throws Exception {
        agent("pc-drop");
        long[] got = new long[1];
        IOException cut = readExpectingCut("/api/cctv/pc-drop/recordings/2/file", got);
        assertNotNull(cut, "the body must end in an error, not look complete (" + got[0] + " bytes)");
        assertTrue(got[0] < FILE.length, "received " + got[0]);
    }

    @Test
    void anAbortedTransferOrAHostileAgentCutsTheBodyOff() throws Exception {
        agent("pc-abort");
        long[] got = new long[1];
        assertNotNull(readExpectingCut("/api/cctv/pc-abort/recordings/3/file", got), "aborted transfer");
        assertTrue(got[0] < FILE.length);
        assertNotNull(readExpectingCut("/api/cctv/pc-abort/recordings/4/file", got), "more bytes than asked");
        assertTrue(got[0] < FILE.length);
        // the agent is still fine for the next download
        assertArrayEquals(FILE, get("/api/cctv/pc-abort/recordings/1/file").body());
    }

    @Test
    void aBrowserLeavingMidDownloadFreesTheAgentsReaderBeforeItsPlace() throws Exception {
        agent("pc-seek");
        for (int i = 0; i < 6; i++) { // a viewer seeking fast: each download is left after its first bytes
            HttpResponse<InputStream> left = HTTP.send(HttpRequest.newBuilder(URI.create(SERVER.get().baseUrl()
                    + "/api/cctv/pc-seek/recordings/6/file")).header("Authorization", "Bearer " + SERVER.get().adminToken()).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (left.statusCode() == 200) {
                left.body().readNBytes(64 * 1024);
            }
            left.body().close();
            assertTrue(left.statusCode() == 200 || left.statusCode() == 503, "200, or 503 while places are taken: " + left.statusCode());
        }
        // the places come back once the agent's transfers are aborted; the agent is never asked beyond its readers
        Poll.until("a whole download again", WAIT, () -> {
            HttpResponse<byte[]> whole;
            try {
                whole = get("/api/cctv/pc-seek/recordings/6/file");
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertTrue(whole.statusCode() != 409, "never RECORDING_BUSY");
            return whole.statusCode() == 200 && Arrays.equals(FILE, whole.body());
        });
        assertEquals(0, busyAnswers.get(), "the server never asked more reads than the agent has readers");
        assertTrue(abortsSeen.get() > 0, "the server aborted the transfers nobody reads any more");
    }

    @Test
    void concurrentDownloadsPerAgentAreCapped() throws Exception {
        agent("pc-cap");
        List<CompletableFuture<HttpResponse<byte[]>>> stuck = new ArrayList<>();
        for (int i = 0; i < 2; i++) { // the agent never sends these bytes: each holds a place until READ_TIMEOUT
            stuck.add(HTTP.sendAsync(HttpRequest.newBuilder(URI.create(SERVER.get().baseUrl() + "/api/cctv/pc-cap/recordings/5/file"))
                    .header("Authorization", "Bearer " + SERVER.get().adminToken()).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        Poll.until("two reads asked", WAIT, () -> reads() == 2);
        ApiResult third = SERVER.get().api().get("/api/cctv/pc-cap/recordings/1/file");
        assertError(third, 503, "TOO_MANY_DOWNLOADS");
        for (CompletableFuture<HttpResponse<byte[]>> download : stuck) { // cut off after READ_TIMEOUT, never a complete answer
            assertThrows(Exception.class, download::join);
        }
        Poll.until("places given back", WAIT, () -> SERVER.get().api().get("/api/cctv/pc-cap/recordings/1/file").status() == 200);
    }

    @Test
    void listAndDelete() {
        agent("pc-list");
        ApiClient api = SERVER.get().api();
        ApiResult list = api.get("/api/cctv/pc-list/recordings?camera_id=cam1&from=2026-12-03T08:00:00Z&to=2026-12-03T09:00:00%2B01:00&limit=20");
        assertEquals(200, list.status(), list::toString);
        assertEquals(1, list.data().path("recordings").size(), () -> "only the well-formed row: " + list);
        assertEquals(1, list.data().path("count").asInt());
        JsonNode item = list.data().path("recordings").path(0);
        assertTrue(item.path("id").isIntegralNumber());
        assertEquals(1, item.path("id").asLong());
        assertEquals("cam1", item.path("camera_id").asText());
        assertEquals("2026-12-03T08:16:00Z", item.path("end").asText());
        assertFalse(item.has("path"), "the agent's path stays on the agent");
        assertTrue(commands.get(0).contains("\"to\":\"2026-12-03T08:00:00Z\"") && commands.get(0).contains("\"limit\":20"),
                commands::toString);

        assertError(api.get("/api/cctv/pc-list/recordings?camera_id=../x"), 400, "BAD_CAMERA_ID");
        assertError(api.get("/api/cctv/pc-list/recordings?from=yesterday"), 400, "BAD_TIME");
        assertError(api.get("/api/cctv/pc-list/recordings?from=2026-12-04T00:00:00Z&to=2026-12-03T00:00:00Z"), 400, "BAD_TIME");
        assertError(api.get("/api/cctv/pc-list/recordings?limit=0"), 400, "INVALID_REQUEST");
        assertError(api.get("/api/cctv/pc-list/recordings?limit=5001"), 400, "INVALID_REQUEST");
        assertEquals(1, commands.size(), "bad input never reached the agent");

        ApiResult deleted = api.delete("/api/cctv/pc-list/recordings/1");
        assertEquals(200, deleted.status(), deleted::toString);
        assertTrue(deleted.data().path("deleted").asBoolean());
    }
}
