package org.classtop.testing.ext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.ServerPlugin;
import org.classtop.api.server.StreamResponse;
import org.classtop.api.server.StreamSink;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;

/** Streaming answers: MJPEG ({@code multipart/x-mixed-replace}) and chunked, their bounds and their end. */
class StreamingResponseTest {
    static final BlockingQueue<StreamSink> OPENED = new LinkedBlockingQueue<>();

    public static final class CameraPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/cam/mjpeg").summary("Live MJPEG").produces(StreamResponse.MULTIPART).to(Mjpeg.class);
            route(HttpMethod.GET, "/api/cam/log").to(Log.class);
        }
    }

    public static final class Mjpeg implements org.classtop.api.server.RouteHandler {
        @Override
        public Object handle(org.classtop.api.server.ApiRequest request) {
            return StreamResponse.multipart(OPENED::add);
        }
    }

    public static final class Log implements org.classtop.api.server.RouteHandler {
        @Override
        public Object handle(org.classtop.api.server.ApiRequest request) {
            return StreamResponse.chunked("text/plain; charset=utf-8", OPENED::add).maxQueuedBytes(256 * 1024);
        }
    }

    private static TestServer server() {
        OPENED.clear();
        return TestServer.builder().plugin("camera", new CameraPlugin()).start();
    }

    /** A raw HTTP/1.1 client: the head, then the body with the chunked framing removed. */
    static final class RawStream implements AutoCloseable {
        final Socket socket = new Socket();
        final Map<String, String> headers = new LinkedHashMap<>();
        int status;
        InputStream body;

        RawStream(int port, String path, String authorization) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nAuthorization: " + authorization + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String statusLine = line(in);
            status = Integer.parseInt(statusLine.split(" ")[1]);
            for (String header; !(header = line(in)).isEmpty(); ) {
                int colon = header.indexOf(':');
                headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
            }
            body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? new Dechunked(in) : in;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static final class Dechunked extends InputStream {
        private final InputStream in;
        private long left;
        private boolean done;

        Dechunked(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            if (done) {
                return -1;
            }
            if (left == 0) {
                String size = line(in);
                if (size.isEmpty()) {
                    size = line(in); // the CRLF after the previous chunk
                }
                if (size.isEmpty()) {
                    done = true; // the connection closed without the last chunk: an aborted answer
                    return -1;
                }
                left = Long.parseLong(size.split(";")[0].trim(), 16);
                if (left == 0) {
                    done = true;
                    return -1;
                }
            }
            left--;
            return in.read();
        }
    }

    /** One part of a multipart stream: its headers and bytes. */
    record Part(String contentType, byte[] bytes) {
    }

    static Part readPart(InputStream in, String boundary) throws IOException {
        String delimiter;
        do {
            delimiter = line(in);
        } while (delimiter.isEmpty());
        if (delimiter.equals("--" + boundary + "--")) {
            return null;
        }
        assertEquals("--" + boundary, delimiter);
        String type = null;
        int length = -1;
        for (String header; !(header = line(in)).isEmpty(); ) {
            String name = header.substring(0, header.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(header.indexOf(':') + 1).trim();
            if (name.equals("content-type")) {
                type = value;
            } else if (name.equals("content-length")) {
                length = Integer.parseInt(value);
            }
        }
        return new Part(type, in.readNBytes(length));
    }

    private static StreamSink awaitSink() throws InterruptedException {
        StreamSink sink = OPENED.poll(10, TimeUnit.SECONDS);
        if (sink == null) {
            throw new AssertionError("The stream was not opened within 10 s");
        }
        return sink;
    }

    @Test
    void anMjpegStreamSendsWholePartsAndEndsWithTheClosingBoundary() throws Exception {
        try (TestServer server = server();
             RawStream client = new RawStream(server.port(), "/api/cam/mjpeg", "Bearer " + server.adminToken())) {
            assertEquals(200, client.status);
            String type = client.headers.get("content-type");
            assertTrue(type.startsWith("multipart/x-mixed-replace;boundary="), type);
            String boundary = type.substring(type.indexOf('=') + 1);
            StreamSink sink = awaitSink();
            for (int i = 0; i < 5; i++) {
                byte[] frame = new byte[1000 + i];
                frame[0] = (byte) 0xFF;
                frame[frame.length - 1] = (byte) i;
                assertTrue(sink.send("image/jpeg", frame));
                Part part = readPart(client.body, boundary);
                assertEquals("image/jpeg", part.contentType());
                assertArrayEquals(frame, part.bytes());
            }
            sink.close();
            assertEquals(null, readPart(client.body, boundary), "the closing boundary ends the stream");
            assertFalse(sink.isOpen());
        }
    }

    @Test
    void aClientThatGoesAwayClosesTheStreamAndTellsTheProducer() throws Exception {
        try (TestServer server = server()) {
            CountDownLatch closed = new CountDownLatch(1);
            StreamSink sink;
            try (RawStream client = new RawStream(server.port(), "/api/cam/mjpeg", "Bearer " + server.adminToken())) {
                sink = awaitSink();
                sink.onClose(closed::countDown);
                assertTrue(sink.send("image/jpeg", new byte[100]));
                String boundary = client.headers.get("content-type").split("=")[1];
                readPart(client.body, boundary);
            }
            // The producer keeps sending frames, as a camera does; the first write after the client left fails.
            StreamSink open = sink;
            Poll.until("the stream to notice that its client went away", Duration.ofSeconds(10), () -> {
                open.send("image/jpeg", new byte[64 * 1024]);
                return closed.getCount() == 0;
            });
            assertFalse(sink.isOpen());
            assertFalse(sink.send("image/jpeg", new byte[10]), "a closed stream takes no more parts");
        }
    }

    @Test
    void aViewerThatNeverReadsOnlySkipsFramesNewestWins() throws Exception {
        try (TestServer server = server();
             RawStream client = new RawStream(server.port(), "/api/cam/mjpeg", "Bearer " + server.adminToken())) {
            client.socket.setReceiveBufferSize(4096);
            StreamSink sink = awaitSink();
            byte[] frame = new byte[256 * 1024];
            for (int i = 0; i < 300; i++) { // 75 MB offered to a client that reads nothing
                assertTrue(sink.send("image/jpeg", frame), "a newest-wins stream stays open for a slow viewer");
            }
            assertTrue(sink.droppedParts() > 250, "frames skipped: " + sink.droppedParts());
            assertTrue(sink.isOpen());
            Runtime runtime = Runtime.getRuntime();
            System.out.printf("never-reading MJPEG viewer: %d of 300 frames of 256 KiB skipped, heap in use %d MiB%n",
                    sink.droppedParts(), (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        }
    }

    @Test
    void aChunkedStreamDisconnectsAClientThatFallsTooFarBehind() throws Exception {
        try (TestServer server = server();
             RawStream client = new RawStream(server.port(), "/api/cam/log", "Bearer " + server.adminToken())) {
            assertEquals(200, client.status);
            assertEquals("chunked", client.headers.get("transfer-encoding"));
            StreamSink sink = awaitSink();
            assertTrue(sink.send(null, "line one\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("line one", line(client.body));
            CountDownLatch closed = new CountDownLatch(1);
            sink.onClose(closed::countDown);
            byte[] block = new byte[64 * 1024];
            int sent = 0;
            while (sink.send(null, block) && sent < 10_000) { // the client stops reading here
                sent++;
            }
            assertTrue(sent < 10_000, "the sink refused more once the client was far behind");
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the producer was told");
            assertFalse(sink.isOpen());
        }
    }

    @Test
    void streamsEndWhenTheirPluginStops() throws Exception {
        try (TestServer server = server();
             RawStream client = new RawStream(server.port(), "/api/cam/mjpeg", "Bearer " + server.adminToken())) {
            StreamSink sink = awaitSink();
            CountDownLatch closed = new CountDownLatch(1);
            sink.onClose(closed::countDown);
            // what the plugin host calls when it stops or fails the plugin
            server.server().injector().getInstance(org.classtop.core.plugins.PluginScopedServices.class).closeAll("camera");
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the producer was told the stream ended");
            assertFalse(sink.isOpen());
            assertEquals(-1, client.body.read(), "the client sees the answer end");
        }
    }

    @Test
    void streamsEndWhenTheServerStops() throws Exception {
        TestServer server = server();
        try (RawStream client = new RawStream(server.port(), "/api/cam/mjpeg", "Bearer " + server.adminToken())) {
            StreamSink sink = awaitSink();
            CountDownLatch closed = new CountDownLatch(1);
            sink.onClose(closed::countDown);
            server.close();
            assertTrue(closed.await(10, TimeUnit.SECONDS), "the producer was told the stream ended");
            assertFalse(sink.isOpen());
        }
    }

    @Test
    void headOfAStreamAnswersWithoutOpeningIt() throws Exception {
        try (TestServer server = server()) {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(server.baseUrl() + "/api/cam/mjpeg"))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .header("Authorization", "Bearer " + server.adminToken()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("multipart/x-mixed-replace"));
            assertTrue(OPENED.isEmpty(), "no stream was opened for HEAD");
        }
    }

    @Test
    void aStreamRouteNeedsTheNormalLogin() throws Exception {
        try (TestServer server = server();
             RawStream client = new RawStream(server.port(), "/api/cam/mjpeg", "Bearer wrong")) {
            assertEquals(401, client.status);
            assertTrue(OPENED.isEmpty());
        }
    }
}
