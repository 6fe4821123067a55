package org.classtop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The video-sources benchmark (bench/video.sh): a single-client TCP camera in this process sends
 * jpeg-length-prefixed frames at 30 fps to the real server; 1, 4, 16 and 64 MJPEG viewers read
 * {@code /api/video/{id}/mjpeg}. Prints, per resolution and viewer count: fps per viewer (min / mean),
 * drops, and the server's CPU per camera frame and in % of one core (from /proc/PID/stat); then the
 * latest-frame route's requests per second with a few keep-alive clients. Figures, not assertions.
 */
public final class VideoBench {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String url;
    private final String token;
    private final long serverPid;
    private final int seconds;

    private VideoBench(String url, String token, long serverPid, int seconds) {
        this.url = url;
        this.token = token;
        this.serverPid = serverPid;
        this.seconds = seconds;
    }

    public static void main(String[] argv) throws Exception {
        String url = null;
        long pid = 0;
        int seconds = 10;
        int fps = 30;
        String viewers = "1,4,16,64";
        String sizes = "640x480,1920x1080";
        String ffmpegSizes = "640x480,1920x1080";
        for (int i = 0; i < argv.length; i += 2) {
            switch (argv[i]) {
                case "--url" -> url = argv[i + 1];
                case "--server-pid" -> pid = Long.parseLong(argv[i + 1]);
                case "--seconds" -> seconds = Integer.parseInt(argv[i + 1]);
                case "--fps" -> fps = Integer.parseInt(argv[i + 1]);
                case "--viewers" -> viewers = argv[i + 1];
                case "--sizes" -> sizes = argv[i + 1];
                case "--ffmpeg-sizes" -> ffmpegSizes = argv[i + 1];
                default -> throw new IllegalArgumentException("unknown flag " + argv[i]);
            }
        }
        String token = System.getenv("CLASSTOP_ADMIN_TOKEN");
        if (url == null || token == null) {
            throw new IllegalArgumentException("--url and CLASSTOP_ADMIN_TOKEN are needed");
        }
        VideoBench bench = new VideoBench(url, token, pid, seconds);
        for (String size : sizes.split(",")) {
            if (size.contains("x")) {
                String[] wh = size.split("x");
                bench.run(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), fps, viewers);
            }
        }
        for (String size : ffmpegSizes.split(",")) {
            if (size.contains("x")) {
                bench.ffmpeg(size, fps);
            }
        }
    }

    /** An FFmpeg source (a lavfi test pattern): decoding, scaling and JPEG encoding once per frame, with 4 viewers. */
    private void ffmpeg(String size, int fps) throws Exception {
        String id = "bench-ffmpeg-" + size;
        api("POST", "/api/video/sources", "{\"id\":\"" + id + "\",\"url\":\"lavfi:testsrc2=size=" + size + ":rate=" + fps + "\"}");
        waitForFrame(id);
        Thread.sleep(3000);
        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            viewers.add(new Viewer(url, token, "/api/video/" + id + "/mjpeg"));
        }
        Thread.sleep(1500);
        long framesBefore = api("GET", "/api/video/" + id + "/status", null).path("data").path("frames").asLong();
        long cpuBefore = cpuTicks();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = cpuTicks() - cpuBefore;
        JsonNode status = api("GET", "/api/video/" + id + "/status", null).path("data");
        long frames = status.path("frames").asLong() - framesBefore;
        long drops = 0;
        for (JsonNode s : status.path("subscriber_list")) {
            drops += s.path("dropped").asLong();
        }
        viewers.forEach(Viewer::close);
        api("DELETE", "/api/video/sources/" + id, null);
        double cpuSeconds = cpu / 100.0;
        System.out.printf("FFmpeg lavfi testsrc2 %s at %d fps, 4 MJPEG viewers: %.1f fps encoded, %d bytes per JPEG, drops %d; "
                        + "server CPU %.1f %% of one core, %.2f ms per frame (decode + convert + encode once)%n",
                size, fps, frames / elapsed, status.path("bytes_per_second").asLong() / Math.max(1, Math.round(status.path("fps").asDouble())),
                drops, 100 * cpuSeconds / elapsed, frames == 0 ? 0 : 1000 * cpuSeconds / frames);
    }

    private void run(int width, int height, int fps, String viewerCounts) throws Exception {
        byte[] jpeg = testJpeg(width, height);
        try (Camera camera = new Camera(jpeg, fps)) {
            String id = "bench-" + width + "x" + height;
            api("POST", "/api/video/sources", "{\"id\":\"" + id + "\",\"url\":\"tcp://127.0.0.1:" + camera.port()
                    + "\",\"format\":\"jpeg-length-prefixed\"}");
            waitForFrame(id);
            System.out.printf("%dx%d JPEG %d bytes at %d fps (%.1f MB/s in)%n", width, height, jpeg.length, fps,
                    jpeg.length * fps / 1e6);
            Thread.sleep(3000); // warm-up: the JIT compiles the frame path
            for (String count : viewerCounts.split(",")) {
                measureViewers(id, camera, Integer.parseInt(count), fps);
            }
            measureLatestFrame(id, 8);
            api("DELETE", "/api/video/sources/" + id, null);
            System.out.printf("camera connections: %d (one per source, whatever the viewers)%n", camera.connections.get());
        }
    }

    private void measureViewers(String id, Camera camera, int count, int fps) throws Exception {
        List<Viewer> viewers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            viewers.add(new Viewer(url, token, "/api/video/" + id + "/mjpeg"));
        }
        Thread.sleep(1500); // every viewer is attached
        long[] before = viewers.stream().mapToLong(v -> v.frames.get()).toArray();
        long sentBefore = camera.sent.get();
        long cpuBefore = cpuTicks();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = cpuTicks() - cpuBefore;
        long sent = camera.sent.get() - sentBefore;
        double min = Double.MAX_VALUE;
        double sum = 0;
        for (int i = 0; i < count; i++) {
            double rate = (viewers.get(i).frames.get() - before[i]) / elapsed;
            min = Math.min(min, rate);
            sum += rate;
        }
        long drops = 0;
        for (JsonNode s : api("GET", "/api/video/" + id + "/status", null).path("data").path("subscriber_list")) {
            drops += s.path("dropped").asLong();
        }
        viewers.forEach(Viewer::close);
        double cpuSeconds = cpu / 100.0; // USER_HZ
        System.out.printf("  %2d MJPEG viewers: fps per viewer min %.1f mean %.1f (camera %.1f); drops %d; server CPU %.1f %% of one core, %.3f ms per camera frame%n",
                count, min, sum / count, sent / elapsed, drops, 100 * cpuSeconds / elapsed,
                sent == 0 ? 0 : 1000 * cpuSeconds / sent);
        Thread.sleep(1000);
    }

    /** {@code clients} keep-alive connections asking for the latest frame as fast as they can. */
    private void measureLatestFrame(String id, int clients) throws Exception {
        URI base = URI.create(url);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        byte[] request = ("GET /api/video/" + id + "/latest-frame HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        AtomicBoolean measuring = new AtomicBoolean();
        for (int i = 0; i < clients; i++) {
            Thread thread = new Thread(() -> {
                try (Socket socket = new Socket(base.getHost(), base.getPort())) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new java.io.BufferedInputStream(socket.getInputStream(), 1 << 16);
                    byte[] skip = new byte[1 << 16];
                    while (running.get()) {
                        out.write(request);
                        int status = readResponse(in, skip);
                        if (measuring.get()) {
                            (status == 200 ? ok : failed).incrementAndGet();
                        }
                    }
                } catch (IOException e) {
                    failed.incrementAndGet();
                }
            });
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        Thread.sleep(2000);
        long cpuBefore = cpuTicks();
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        measuring.set(false);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu = cpuTicks() - cpuBefore;
        running.set(false);
        for (Thread thread : threads) {
            thread.join(5000);
        }
        System.out.printf("  latest-frame: %.0f req/s with %d keep-alive clients (%d failed); server CPU %.1f %% of one core%n",
                ok.get() / elapsed, clients, failed.get(), cpu / 100.0 / elapsed * 100);
    }

    /** Reads one HTTP/1.1 response (Content-Length bodies) and returns its status. */
    private static int readResponse(InputStream in, byte[] skip) throws IOException {
        StringBuilder line = new StringBuilder();
        int status = -1;
        long length = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed");
            }
            if (b == '\n') {
                String text = line.toString().trim();
                line.setLength(0);
                if (text.isEmpty()) {
                    break;
                }
                if (status < 0) {
                    status = Integer.parseInt(text.split(" ")[1]);
                } else if (text.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Long.parseLong(text.substring(15).trim());
                }
            } else {
                line.append((char) b);
            }
        }
        while (length > 0) {
            int n = in.read(skip, 0, (int) Math.min(skip.length, length));
            if (n < 0) {
                throw new IOException("closed");
            }
            length -= n;
        }
        return status;
    }

    private long cpuTicks() {
        if (serverPid <= 0) {
            return 0;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + serverPid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime
        } catch (IOException e) {
            return 0;
        }
    }

    private void waitForFrame(String id) throws Exception {
        for (int i = 0; i < 200; i++) {
            HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/video/" + id + "/latest-frame"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() == 200) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no frame from source " + id);
    }

    private JsonNode api(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return JSON.readTree(answer.body());
    }

    /** A camera-like picture (gradients and noise) at JPEG quality 0.8: a realistic frame size. */
    static byte[] testJpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int y = 0; y < height; y += 8) {
            g.setColor(new Color((y * 255) / height, 120, 255 - (y * 255) / height));
            g.fillRect(0, y, width, 8);
        }
        g.dispose();
        Random random = new Random(1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int noise = random.nextInt(24) - 12;
                int r = Math.max(0, Math.min(255, ((rgb >> 16) & 0xFF) + noise));
                int gr = Math.max(0, Math.min(255, ((rgb >> 8) & 0xFF) + noise));
                int b = Math.max(0, Math.min(255, (rgb & 0xFF) + noise));
                image.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(0.8f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        writer.dispose();
        return out.toByteArray();
    }

    /** The single-client camera: the first connection gets the frames; later ones are closed at once. */
    private static final class Camera implements AutoCloseable {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong connections = new AtomicLong();
        private final ServerSocket server;
        private volatile Socket client;

        Camera(byte[] jpeg, int fps) throws IOException {
            server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
            Thread thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        if (client != null && !client.isClosed()) {
                            socket.close();
                            continue;
                        }
                        connections.incrementAndGet();
                        client = socket;
                        stream(socket, jpeg, fps);
                    } catch (IOException closed) {
                        // the server went away or the camera stopped
                    }
                }
            }, "bench-camera");
            thread.setDaemon(true);
            thread.start();
        }

        private void stream(Socket socket, byte[] jpeg, int fps) {
            Thread sender = new Thread(() -> {
                long period = 1_000_000_000L / fps;
                long due = System.nanoTime();
                byte[] prefix = ByteBuffer.allocate(4).putInt(jpeg.length).array();
                try (socket; OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16)) {
                    while (!socket.isClosed()) {
                        out.write(prefix);
                        out.write(jpeg);
                        out.flush();
                        sent.incrementAndGet();
                        due += period;
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        }
                    }
                } catch (IOException | InterruptedException ignored) {
                    // closed
                }
            }, "bench-camera-sender");
            sender.setDaemon(true);
            sender.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            Socket current = client;
            if (current != null) {
                current.close();
            }
        }
    }

    /** One MJPEG viewer on a plain socket, counting the JPEG starts (FF D8 FF) it reads. */
    private static final class Viewer {
        final AtomicLong frames = new AtomicLong();
        private final Socket socket;

        Viewer(String url, String token, String path) throws IOException {
            URI base = URI.create(url);
            socket = new Socket(base.getHost(), base.getPort());
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAuthorization: Bearer " + token + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            Thread reader = new Thread(this::read, "bench-viewer");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            byte[] buffer = new byte[1 << 16];
            int state = 0;
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        int b = buffer[i] & 0xFF;
                        state = switch (state) {
                            case 0 -> b == 0xFF ? 1 : 0;
                            case 1 -> b == 0xD8 ? 2 : (b == 0xFF ? 1 : 0);
                            case 2 -> {
                                if (b == 0xFF) {
                                    frames.incrementAndGet();
                                }
                                yield 0;
                            }
                            default -> 0;
                        };
                    }
                }
            } catch (IOException ignored) {
                // closed
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
