package org.classtop.plugins.videosources;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.io.ByteArrayOutputStream;

/** Test viewers of a source: an MJPEG reader over HTTP and a WebSocket reader that acknowledges each frame. */
final class Viewers {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Viewers() {
    }

    /** Reads an MJPEG stream on its own thread, counting the tagged frames it finds. */
    static final class Mjpeg implements AutoCloseable {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong lastNumber = new AtomicLong(-1);
        final AtomicBoolean ended = new AtomicBoolean();
        volatile int status;
        volatile String contentType;
        private volatile InputStream body;

        Mjpeg(String baseUrl, String token, String path) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + token).GET().build();
            Thread reader = new Thread(() -> {
                try {
                    HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                    status = response.statusCode();
                    contentType = response.headers().firstValue("Content-Type").orElse("");
                    body = response.body();
                    scan(body);
                } catch (IOException | InterruptedException e) {
                    // closed by the test or the server
                } finally {
                    ended.set(true);
                }
            }, "mjpeg-viewer");
            reader.setDaemon(true);
            reader.start();
        }

        /** Finds FF D8 FF FE (SOI + the camera's COM tag) and reads the frame number after it. */
        private void scan(InputStream in) throws IOException {
            byte[] buffer = new byte[64 * 1024];
            int state = 0;
            StringBuilder tag = null;
            int n;
            while ((n = in.read(buffer)) > 0) {
                for (int i = 0; i < n; i++) {
                    int b = buffer[i] & 0xFF;
                    if (tag != null) {
                        if (b >= '0' && b <= '9' || b == ' ' || (b >= 'a' && b <= 'z')) {
                            tag.append((char) b);
                            continue;
                        }
                        String text = tag.toString();
                        if (text.startsWith("frame ")) {
                            lastNumber.set(Long.parseLong(text.substring(6)));
                        }
                        frames.incrementAndGet();
                        tag = null;
                    }
                    state = switch (state) {
                        case 0 -> b == 0xFF ? 1 : 0;
                        case 1 -> b == 0xD8 ? 2 : (b == 0xFF ? 1 : 0);
                        case 2 -> b == 0xFF ? 3 : 0;
                        case 3 -> {
                            if (b == 0xFE) {
                                tag = new StringBuilder();
                                i += 2; // the segment length
                            }
                            yield 0;
                        }
                        default -> 0;
                    };
                }
            }
        }

        @Override
        public void close() {
            InputStream in = body;
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
        }
    }

    /** A browser-like WebSocket viewer: acknowledges every frame unless told to stop reading. */
    static final class Socket implements WebSocket.Listener, AutoCloseable {
        final AtomicLong frames = new AtomicLong();
        final AtomicLong lastNumber = new AtomicLong(-1);
        final AtomicBoolean closed = new AtomicBoolean();
        volatile String firstText;
        private final boolean acknowledge;
        private final ByteArrayOutputStream message = new ByteArrayOutputStream();
        private final WebSocket socket;

        Socket(String wsBase, String token, String path) {
            this(wsBase, token, path, true);
        }

        /** With {@code acknowledge} false from the start: a frame that arrives while connecting is not acknowledged either. */
        Socket(String wsBase, String token, String path, boolean acknowledge) {
            this.acknowledge = acknowledge;
            socket = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + token)
                    .buildAsync(URI.create(wsBase + path), this).join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            if (firstText == null) {
                firstText = data.toString();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] part = new byte[data.remaining()];
            data.get(part);
            message.write(part, 0, part.length);
            if (last) {
                byte[] jpeg = message.toByteArray();
                message.reset();
                frames.incrementAndGet();
                lastNumber.set(FakeCamera.numberOf(jpeg));
                if (acknowledge) {
                    webSocket.sendText("next", true);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.set(true);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.set(true);
        }

        void ackNow() {
            socket.sendText("next", true);
        }

        @Override
        public void close() {
            socket.abort();
        }
    }
}
