package org.classtop.testing.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.PluginContext;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.FileResponse;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RangedSource;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ClassTopServerExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** File answers: Range (206/416), ETag (304, If-Range), HEAD, Content-Length; from a file and from an asynchronous source. */
class FileResponseTest {
    static final byte[] CONTENT = new byte[300_000];
    static final int RELAY_LENGTH = 1_000_003;
    static final AtomicInteger RELAY_CLOSED = new AtomicInteger();

    static {
        for (int i = 0; i < CONTENT.length; i++) {
            CONTENT[i] = (byte) (i * 31 + 7);
        }
    }

    public static final class RecordingsPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/recordings/file").produces("video/mp4").to(FromFile.class);
            route(HttpMethod.GET, "/api/recordings/relay").to(FromRelay.class);
        }
    }

    public static final class FromFile implements RouteHandler {
        private final PluginContext context;

        @Inject
        public FromFile(PluginContext context) {
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            return FileResponse.of(context.dataDir().resolve("clip.bin"), "video/mp4").downloadAs("clip.mp4");
        }
    }

    /** Bytes fetched piece by piece, each piece completing later on another thread (as a relay from an agent would). */
    public static final class FromRelay implements RouteHandler {
        @Override
        public Object handle(ApiRequest request) {
            return FileResponse.of(new RangedSource() {
                @Override
                public long length() {
                    return RELAY_LENGTH;
                }

                @Override
                public String etag() {
                    return "relay-v1";
                }

                @Override
                public CompletionStage<ByteBuffer> read(long offset, int maxBytes) {
                    return CompletableFuture.supplyAsync(() -> {
                        int n = (int) Math.min(Math.min(maxBytes, 10_000), RELAY_LENGTH - offset); // short pieces
                        byte[] piece = new byte[n];
                        for (int i = 0; i < n; i++) {
                            piece[i] = relayByte(offset + i);
                        }
                        return ByteBuffer.wrap(piece);
                    });
                }

                @Override
                public void close() {
                    RELAY_CLOSED.incrementAndGet();
                }
            }, "application/octet-stream");
        }
    }

    static byte relayByte(long position) {
        return (byte) (position % 251);
    }

    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b.plugin("recordings", new RecordingsPlugin()));

    @BeforeAll
    static void writeTheFile() throws Exception {
        var dir = SERVER.get().dataDir().resolve("plugins").resolve("recordings");
        Files.createDirectories(dir);
        Files.write(dir.resolve("clip.bin"), CONTENT);
    }

    private static HttpResponse<byte[]> get(String method, String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(SERVER.get().baseUrl() + path))
                .method(method, HttpRequest.BodyPublishers.noBody())
                .header("Authorization", "Bearer " + SERVER.get().adminToken());
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    @Test
    void theWholeFileWithLengthETagAndDownloadName() throws Exception {
        HttpResponse<byte[]> whole = get("GET", "/api/recordings/file");
        assertEquals(200, whole.statusCode());
        assertArrayEquals(CONTENT, whole.body());
        assertEquals(String.valueOf(CONTENT.length), header(whole, "Content-Length"));
        assertEquals("video/mp4", header(whole, "Content-Type"));
        assertEquals("bytes", header(whole, "Accept-Ranges"));
        assertTrue(header(whole, "Content-Disposition").contains("clip.mp4"));
        assertNotNull(header(whole, "ETag"));
    }

    @Test
    void aSingleRangeIsAnsweredWith206() throws Exception {
        HttpResponse<byte[]> middle = get("GET", "/api/recordings/file", "Range", "bytes=1000-1999");
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 1000-1999/" + CONTENT.length, header(middle, "Content-Range"));
        assertEquals("1000", header(middle, "Content-Length"));
        assertArrayEquals(Arrays.copyOfRange(CONTENT, 1000, 2000), middle.body());

        HttpResponse<byte[]> tail = get("GET", "/api/recordings/file", "Range", "bytes=-10");
        assertEquals(206, tail.statusCode());
        assertArrayEquals(Arrays.copyOfRange(CONTENT, CONTENT.length - 10, CONTENT.length), tail.body());

        HttpResponse<byte[]> open = get("GET", "/api/recordings/file", "Range", "bytes=299990-");
        assertEquals("bytes 299990-299999/" + CONTENT.length, header(open, "Content-Range"));

        HttpResponse<byte[]> clipped = get("GET", "/api/recordings/file", "Range", "bytes=299000-999999999");
        assertEquals(206, clipped.statusCode());
        assertEquals(1000, clipped.body().length);
    }

    @Test
    void aRangePastTheEndIs416WithASentence() throws Exception {
        for (String range : new String[]{"bytes=300000-", "bytes=99999999999999999999999999-", "bytes=-0"}) {
            HttpResponse<byte[]> refused = get("GET", "/api/recordings/file", "Range", range);
            assertEquals(416, refused.statusCode(), range);
            assertEquals("bytes */" + CONTENT.length, header(refused, "Content-Range"));
            JsonNode body = ApiClient.parse(refused.body());
            assertEquals("RANGE_NOT_SATISFIABLE", body.path("code").asText());
            assertTrue(body.path("error").asText().endsWith("."), body.toString());
        }
    }

    @Test
    void hostileOrOddRangeHeadersGetTheWholeFile() throws Exception {
        StringBuilder many = new StringBuilder("bytes=");
        for (int i = 0; i < 5000; i++) {
            many.append(i * 10).append('-').append(i * 10 + 1).append(',');
        }
        for (String range : new String[]{many.toString(), "bytes=0-1,5-6", "items=0-5", "bytes=5-2", "bytes=abc", "bytes=-"}) {
            HttpResponse<byte[]> whole = get("GET", "/api/recordings/file", "Range", range);
            assertEquals(200, whole.statusCode(), range.length() > 40 ? range.substring(0, 40) : range);
            assertEquals(CONTENT.length, whole.body().length);
        }
    }

    @Test
    void conditionalRequestsUseTheETag() throws Exception {
        String etag = header(get("HEAD", "/api/recordings/file"), "ETag");
        HttpResponse<byte[]> notModified = get("GET", "/api/recordings/file", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(0, notModified.body().length);
        assertEquals(200, get("GET", "/api/recordings/file", "If-None-Match", "\"other\"").statusCode());
        assertEquals(304, get("GET", "/api/recordings/file", "If-None-Match", "\"a\", W/" + etag).statusCode());

        HttpResponse<byte[]> sameVersion = get("GET", "/api/recordings/file", "Range", "bytes=0-9", "If-Range", etag);
        assertEquals(206, sameVersion.statusCode());
        HttpResponse<byte[]> changed = get("GET", "/api/recordings/file", "Range", "bytes=0-9", "If-Range", "\"old\"");
        assertEquals(200, changed.statusCode(), "a changed file is sent whole");
        assertEquals(CONTENT.length, changed.body().length);
    }

    @Test
    void headGivesTheHeadersWithoutTheBody() throws Exception {
        HttpResponse<byte[]> head = get("HEAD", "/api/recordings/file");
        assertEquals(200, head.statusCode());
        assertEquals(String.valueOf(CONTENT.length), header(head, "Content-Length"));
        assertEquals(0, head.body().length);
        HttpResponse<byte[]> rangedHead = get("HEAD", "/api/recordings/file", "Range", "bytes=0-99");
        assertEquals(206, rangedHead.statusCode());
        assertEquals("100", header(rangedHead, "Content-Length"));
    }

    @Test
    void anAsynchronousSourceIsServedPieceByPieceAndClosed() throws Exception {
        int closedBefore = RELAY_CLOSED.get();
        HttpResponse<byte[]> whole = get("GET", "/api/recordings/relay");
        assertEquals(200, whole.statusCode());
        assertEquals(RELAY_LENGTH, whole.body().length);
        for (int i = 0; i < RELAY_LENGTH; i += 9973) {
            assertEquals(relayByte(i), whole.body()[i], "byte " + i);
        }
        assertEquals("\"relay-v1\"", header(whole, "ETag"));

        HttpResponse<byte[]> part = get("GET", "/api/recordings/relay", "Range", "bytes=500000-650000");
        assertEquals(206, part.statusCode());
        assertEquals(150_001, part.body().length);
        for (int i = 0; i < part.body().length; i++) {
            if (part.body()[i] != relayByte(500_000L + i)) {
                throw new AssertionError("byte " + (500_000 + i) + " differs");
            }
        }
        org.classtop.testing.Poll.until("both answers to close their source", java.time.Duration.ofSeconds(10),
                () -> RELAY_CLOSED.get() >= closedBefore + 2);
    }

    @Test
    void aClientThatLeavesMidwayClosesTheSource() throws Exception {
        int closedBefore = RELAY_CLOSED.get();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", SERVER.get().port())) {
            socket.setReceiveBufferSize(4096);
            socket.getOutputStream().write(("GET /api/recordings/relay HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                    + SERVER.get().adminToken() + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertEquals(1000, socket.getInputStream().readNBytes(1000).length);
        } // leaves after 1,000 of 1,000,003 bytes
        org.classtop.testing.Poll.until("the source to be closed", java.time.Duration.ofSeconds(10),
                () -> RELAY_CLOSED.get() > closedBefore);
    }

    @Test
    void theOpenApiDocumentShowsTheMediaType() {
        JsonNode doc = ApiClient.parse(SERVER.get().api().get("/openapi.json").body());
        JsonNode ok = doc.path("paths").path("/api/recordings/file").path("get").path("responses").path("200");
        assertTrue(ok.path("content").has("video/mp4"), ok.toString());
    }

    @Test
    void aFileRouteNeedsTheNormalLogin() throws Exception {
        assertEquals(401, SERVER.get().api().anonymous().get("/api/recordings/file").status());
    }
}
