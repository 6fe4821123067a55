package org.classtop.plugins.videosources.ffmpeg;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;

/**
 * Opening an FFmpeg grabber the one way video-sources and cctv-cameras both use: input format, pixel format,
 * network timeouts by protocol, and a refusal of pictures larger than the configured maximum. Also the
 * one FFmpeg error-text helper and the one password redaction.
 */
public final class Grabbers {
    /** The default largest picture accepted: 3840x2160 (4K UHD). */
    public static final long DEFAULT_MAX_PIXELS = 3840L * 2160;
    /**
     * Protocols whose {@code timeout} option is a client timeout. For rtmp(s) {@code timeout} means LISTEN for an
     * incoming connection (binding the port), so rtmp gets {@code rw_timeout} only.
     */
    static final Set<String> CLIENT_TIMEOUT_SCHEMES = Set.of("http", "https", "tcp", "udp", "srt", "rtsp", "rtsps");
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.*", Pattern.DOTALL);
    private static final Pattern ERROR_CODE = Pattern.compile("error (-\\d{1,9})");
    private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s'\"<>]*@");

    private Grabbers() {
    }

    /** What to open. */
    public record Input(String input, String format, int pixelFormat, int width, int height, double deviceFps) {
    }

    /**
     * Starts a grabber on {@code in}; a network URL that sends nothing for {@code stallTimeout} fails.
     *
     * @param maxPixels the largest width x height accepted (a bigger picture is refused with a sentence)
     * @throws IOException with one sentence (passwords redacted) when FFmpeg cannot open it
     */
    public static FFmpegFrameGrabber open(Input in, Duration stallTimeout, long maxPixels) throws IOException {
        avutil.av_log_set_level(avutil.AV_LOG_ERROR); // FFmpeg's per-frame chatter stays out of the log
        FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(in.input());
        if (in.format() != null) {
            grabber.setFormat(in.format());
        }
        grabber.setPixelFormat(in.pixelFormat());
        if (in.width() > 0 && in.height() > 0) {
            grabber.setImageWidth(in.width());
            grabber.setImageHeight(in.height());
        }
        if (in.deviceFps() > 0) {
            grabber.setFrameRate(in.deviceFps());
        }
        timeouts(in.input(), stallTimeout).forEach(grabber::setOption);
        try {
            grabber.start();
        } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
            close(grabber);
            throw new IOException("FFmpeg could not open the source: " + reason(e));
        }
        int width = grabber.getImageWidth();
        int height = grabber.getImageHeight();
        if (width <= 0 || height <= 0) {
            close(grabber);
            throw new IOException("FFmpeg found no video stream in the source.");
        }
        if ((long) width * height > maxPixels) {
            close(grabber);
            throw new IOException("The source's pictures are " + width + "x" + height + ", more than the " + maxPixels
                    + " pixels allowed (MAX_PIXELS): lower its resolution.");
        }
        return grabber;
    }

    /** The timeout options for an input: none for files, devices and graphs; by protocol for network URLs. */
    static java.util.Map<String, String> timeouts(String input, Duration stallTimeout) {
        java.util.Map<String, String> options = new java.util.LinkedHashMap<>();
        var matcher = SCHEME.matcher(input);
        if (!matcher.matches()) {
            return options;
        }
        String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
        if (scheme.equals("file")) {
            return options;
        }
        String micros = String.valueOf(stallTimeout.toMillis() * 1000);
        options.put("rw_timeout", micros); // a network read that waits longer fails: the source is reopened
        if (CLIENT_TIMEOUT_SCHEMES.contains(scheme)) {
            options.put("timeout", micros);
        }
        return options;
    }

    /** FFmpeg's message without javacv's hints for programmers, with any password redacted. */
    public static String reason(Throwable e) {
        String message = e.getMessage();
        String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message.strip();
        text = text.replaceAll("\\s*\\((Has setFormat\\(\\) been called\\?|For more details[^)]*)\\)", "").strip();
        var code = ERROR_CODE.matcher(text);
        if (code.find()) { // "error -111" says little: add FFmpeg's words for it ("Connection refused")
            String words = describe(Integer.parseInt(code.group(1)));
            if (words != null && !text.contains(words)) {
                text = text.endsWith(".") ? text.substring(0, text.length() - 1) + ": " + words + "." : text + ": " + words;
            }
        }
        return redact(text);
    }

    private static String describe(int errorCode) {
        try (BytePointer buffer = new BytePointer(256)) {
            if (avutil.av_strerror(errorCode, buffer, 256) < 0) {
                return null;
            }
            byte[] bytes = new byte[256];
            buffer.get(bytes);
            int end = 0;
            while (end < bytes.length && bytes[end] != 0) {
                end++;
            }
            String words = new String(bytes, 0, end, java.nio.charset.StandardCharsets.UTF_8).strip();
            return words.isEmpty() ? null : words;
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** Any {@code scheme://user:password@} in the text becomes {@code scheme://***@}; null stays null. */
    public static String redact(String text) {
        return text == null ? null : USER_INFO.matcher(text).replaceAll("$1***@");
    }

    public static void close(FFmpegFrameGrabber grabber) {
        if (grabber == null) {
            return;
        }
        try {
            grabber.close();
        } catch (Exception | Error ignored) {
            // best effort
        }
    }

    /**
     * The next decoded picture, or null at the end of the input (frames without a picture are skipped); a read
     * failure as an IOException with FFmpeg's reason as a sentence.
     */
    public static Frame nextImage(FFmpegFrameGrabber grabber) throws IOException {
        while (true) {
            Frame frame;
            try {
                frame = grabber.grabImage();
            } catch (FFmpegFrameGrabber.Exception | RuntimeException e) {
                throw new IOException("FFmpeg could not read the source: " + reason(e), e);
            }
            if (frame == null || frame.image != null) {
                return frame;
            }
        }
    }
}
