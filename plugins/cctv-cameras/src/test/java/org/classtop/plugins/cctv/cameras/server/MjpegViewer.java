package org.classtop.plugins.cctv.cameras.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A browser-like MJPEG viewer: reads a multipart/x-mixed-replace answer on its own thread, counting JPEG parts. */
final class MjpegViewer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final AtomicInteger parts = new AtomicInteger();
    final AtomicBoolean ended = new AtomicBoolean();
    volatile int status;
    volatile String contentType;
    volatile String firstBytes = "";
    private volatile InputStream body;

    MjpegViewer(String baseUrl, String token, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + token)
                .GET().build();
        Thread reader = new Thread(() -> {
            try {
                HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = response.statusCode();
                contentType = response.headers().firstValue("Content-Type").orElse("");
                body = response.body();
                byte[] buffer = new byte[64 * 1024];
                String marker = "Content-Type: image/jpeg";
                String carry = "";
                int n;
                while ((n = body.read(buffer)) > 0) {
                    String text = carry + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                    if (firstBytes.isEmpty()) {
                        firstBytes = text.substring(0, Math.min(200, text.length()));
                    }
                    int at = 0;
                    while ((at = text.indexOf(marker, at)) >= 0) {
                        parts.incrementAndGet();
                        at += marker.length();
                    }
                    int keep = Math.min(marker.length() - 1, text.length());
                    carry = text.substring(text.length() - keep);
                    if (carry.contains(marker.substring(0, 1)) && text.endsWith(marker)) {
                        carry = "";
                    }
                }
            } catch (IOException | InterruptedException e) {
                // closed by the test or the server
            } finally {
                ended.set(true);
            }
        }, "mjpeg-viewer");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void close() throws IOException {
        InputStream in = body;
        if (in != null) {
            in.close();
        }
    }
}
