package org.classtop.plugins.videosources;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.imageio.ImageIO;

/**
 * A network camera on loopback that, like many real ones, serves ONE TCP client: while a client is
 * connected, every further connection is accepted and closed at once (counted in {@link #refused()}).
 * Sends JPEG frames, each tagged with its number in a COM segment, at a fixed rate, in one of the
 * stream formats; or garbage, or an absurd length prefix, to test a malformed upstream.
 */
final class FakeCamera implements AutoCloseable {
    enum Mode { LENGTH_PREFIXED, MJPEG, GARBAGE, HUGE_LENGTH, SILENT }

    private final byte[] baseJpeg;
    private final int fps;
    private volatile Mode mode;
    private volatile ServerSocket server;
    private volatile Socket client;
    private int port;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong sent = new AtomicLong();

    FakeCamera(Mode mode, int fps, int width, int height, int paddingBytes) {
        this.mode = mode;
        this.fps = fps;
        this.baseJpeg = jpeg(width, height, paddingBytes);
    }

    FakeCamera(Mode mode, int fps) {
        this(mode, fps, 320, 240, 0);
    }

    /** Starts listening on a free loopback port (or the port it had before: a camera restart). */
    synchronized FakeCamera start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = socket.getLocalPort();
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "fake-camera-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
        return this;
    }

    /** A port nothing listens on yet; {@link #start()} binds it later (the camera is down at first). */
    static FakeCamera downOnFreePort(Mode mode, int fps) throws IOException {
        FakeCamera camera = new FakeCamera(mode, fps);
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            camera.port = probe.getLocalPort();
        }
        return camera;
    }

    int port() {
        return port;
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    int connections() {
        return connections.get();
    }

    int refused() {
        return refused.get();
    }

    long sent() {
        return sent.get();
    }

    boolean hasClient() {
        Socket current = client;
        return current != null && !current.isClosed();
    }

    void mode(Mode next) {
        mode = next;
    }

    /** The camera goes down: the listening socket and the client connection close. */
    synchronized void stop() {
        closeQuietly(server);
        Socket current = client;
        if (current != null) {
            closeQuietly(current);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket next;
            try {
                next = socket.accept();
            } catch (IOException closed) {
                return;
            }
            if (hasClient()) {
                refused.incrementAndGet();
                closeQuietly(next);
                continue;
            }
            connections.incrementAndGet();
            client = next;
            Thread sender = new Thread(() -> send(next), "fake-camera-sender-" + port);
            sender.setDaemon(true);
            sender.start();
        }
    }

    private void send(Socket socket) {
        long periodNanos = 1_000_000_000L / fps;
        long due = System.nanoTime();
        Random random = new Random(42);
        try (socket; OutputStream out = socket.getOutputStream()) {
            while (!socket.isClosed()) {
                Mode current = mode;
                switch (current) {
                    case LENGTH_PREFIXED -> {
                        byte[] frame = tagged(sent.get() + 1);
                        out.write(ByteBuffer.allocate(4).putInt(frame.length).array());
                        out.write(frame);
                    }
                    case MJPEG -> out.write(tagged(sent.get() + 1));
                    case GARBAGE -> {
                        byte[] junk = new byte[4096];
                        random.nextBytes(junk);
                        for (int i = 0; i < junk.length - 1; i++) {
                            if ((junk[i] & 0xFF) == 0xFF) {
                                junk[i] = 0; // no accidental JPEG start marker
                            }
                        }
                        out.write(junk);
                    }
                    case HUGE_LENGTH -> {
                        out.write(new byte[]{0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
                        out.write(new byte[1024]);
                    }
                    case SILENT -> {
                        // connected, sending nothing: a stalled camera
                    }
                }
                out.flush();
                if (current != Mode.SILENT) {
                    sent.incrementAndGet();
                }
                due += periodNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (IOException | InterruptedException closed) {
            // the client went away or the camera stopped
        } finally {
            if (client == socket) {
                client = null;
            }
        }
    }

    /** The base JPEG with a COM segment "frame N" right after SOI. */
    byte[] tagged(long number) {
        byte[] text = ("frame " + number).getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[baseJpeg.length + 4 + text.length];
        frame[0] = (byte) 0xFF;
        frame[1] = (byte) 0xD8;
        frame[2] = (byte) 0xFF;
        frame[3] = (byte) 0xFE;
        frame[4] = (byte) ((text.length + 2) >> 8);
        frame[5] = (byte) (text.length + 2);
        System.arraycopy(text, 0, frame, 6, text.length);
        System.arraycopy(baseJpeg, 2, frame, 6 + text.length, baseJpeg.length - 2);
        return frame;
    }

    /** The number a {@link #tagged} frame carries, or -1. */
    static long numberOf(byte[] jpeg) {
        if (jpeg.length < 8 || (jpeg[2] & 0xFF) != 0xFF || (jpeg[3] & 0xFF) != 0xFE) {
            return -1;
        }
        int length = ((jpeg[4] & 0xFF) << 8 | (jpeg[5] & 0xFF)) - 2;
        String text = new String(jpeg, 6, length, StandardCharsets.US_ASCII);
        return text.startsWith("frame ") ? Long.parseLong(text.substring(6)) : -1;
    }

    /** A real JPEG of a test pattern, optionally with an APP15 segment of padding to reach a given size. */
    static byte[] jpeg(int width, int height, int paddingBytes) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        for (int x = 0; x < width; x += 16) {
            g.setColor(new Color((x * 7) % 256, (x * 3) % 256, 200));
            g.fillRect(x, 0, 16, height);
        }
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] plain = out.toByteArray();
        if (paddingBytes <= 0) {
            return plain;
        }
        ByteArrayOutputStream padded = new ByteArrayOutputStream(plain.length + paddingBytes + 64);
        padded.write(plain, 0, 2);
        int left = paddingBytes;
        while (left > 0) {
            int chunk = Math.min(left, 65000);
            padded.write(0xFF);
            padded.write(0xEF);
            padded.write((chunk + 2) >> 8);
            padded.write((chunk + 2) & 0xFF);
            byte[] fill = new byte[chunk];
            java.util.Arrays.fill(fill, (byte) 0x5A);
            padded.write(fill, 0, chunk);
            left -= chunk;
        }
        padded.write(plain, 2, plain.length - 2);
        return padded.toByteArray();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception ignored) {
            // closing
        }
    }
}
