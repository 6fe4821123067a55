package org.classtop.plugins.cctv.cameras.agent;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.classtop.api.agent.CommandRequest;

/**
 * A camera as configured: what {@code cctv_add_camera} accepted and what is persisted.
 *
 * @param width  requested width, 0 for the camera's own (with {@code height})
 * @param height requested height, 0 for the camera's own
 * @param fps    requested frames per second, 0 for the camera's own
 */
record CameraSpec(String cameraId, String name, String source, int width, int height, double fps) {
    static final int MAX_SOURCE_CHARS = 1024;
    static final int MAX_NAME_CHARS = 100;
    private static final Pattern SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)://.+");
    private static final Set<String> STREAM_SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp",
            "tcp", "srt", "file");
    private static final Pattern V4L2 = Pattern.compile("/dev/(video\\d+|v4l/by-(id|path)/[^/]+)");
    /**
     * lavfi: one test-pattern source filter with plain options. Arbitrary graphs are refused: filters such as
     * movie, sendcmd or psnr's stats_file read or write files of the client, zmq opens a socket.
     */
    static final Set<String> LAVFI_SOURCES = Set.of("testsrc", "testsrc2", "smptebars", "smptehdbars", "rgbtestsrc",
            "yuvtestsrc", "color", "mandelbrot", "life", "cellauto", "pal75bars", "pal100bars", "allrgb", "allyuv",
            "gradients", "zoneplate", "colorspectrum", "colorchart", "haldclutsrc", "nullsrc");
    private static final Pattern LAVFI_GRAPH = Pattern.compile("([a-z0-9]+)(=[A-Za-z0-9_.:=#+-]*)?");

    /** How FFmpeg opens a source. */
    enum Kind { LAVFI, URL, FILE, V4L2, DSHOW, AVFOUNDATION }

    Kind kind() {
        return kindOf(source);
    }

    /** The input FFmpeg opens, without the {@code lavfi:}/{@code avfoundation:} prefix. */
    String input() {
        return switch (kind()) {
            case LAVFI -> source.substring("lavfi:".length());
            case AVFOUNDATION -> source.substring("avfoundation:".length());
            default -> source;
        };
    }

    /** FFmpeg's input format for the kind, or null to let FFmpeg probe. */
    String format() {
        return switch (kind()) {
            case LAVFI -> "lavfi";
            case V4L2 -> "video4linux2";
            case DSHOW -> "dshow";
            case AVFOUNDATION -> "avfoundation";
            default -> null;
        };
    }

    /** Devices and network streams come at their own pace; files and filter graphs are read as fast as FFmpeg can. */
    boolean needsPacing() {
        return kind() == Kind.LAVFI || kind() == Kind.FILE;
    }

    /** Reading to its end is normal (a file loops); for the other kinds the end is a failure. */
    boolean isFile() {
        return kind() == Kind.FILE || kind() == Kind.URL && source.regionMatches(true, 0, "file://", 0, 7);
    }

    static Kind kindOf(String source) {
        if (source.startsWith("lavfi:")) {
            return Kind.LAVFI;
        }
        if (source.startsWith("avfoundation:")) {
            return Kind.AVFOUNDATION;
        }
        if (source.startsWith("video=")) {
            return Kind.DSHOW;
        }
        if (V4L2.matcher(source).matches()) {
            return Kind.V4L2;
        }
        if (SCHEME.matcher(source).matches()) {
            return Kind.URL;
        }
        return Kind.FILE;
    }

    /** The parameters of {@code cctv_add_camera}, checked; each refusal is one sentence with its code. */
    static CameraSpec fromParams(CommandRequest request) {
        String cameraId = Errors.cameraId(request);
        Object nameValue = request.params().get("name");
        String name = nameValue == null ? cameraId : String.valueOf(nameValue).strip();
        if (name.isEmpty()) {
            name = cameraId;
        }
        if (name.length() > MAX_NAME_CHARS || name.chars().anyMatch(Character::isISOControl)) {
            throw Errors.badParams("The camera name must be at most " + MAX_NAME_CHARS + " characters, without control characters.");
        }
        Object sourceValue = request.params().get("source");
        if (sourceValue == null || String.valueOf(sourceValue).isBlank()) {
            throw Errors.badParams("Command '" + request.command() + "' needs the parameter 'source'.");
        }
        String source = checkSource(String.valueOf(sourceValue).strip());
        int width = Errors.wholeNumber(request, "width", 0, 0, 7680);
        int height = Errors.wholeNumber(request, "height", 0, 0, 4320);
        if ((width == 0) != (height == 0)) {
            throw Errors.badParams("Give both width and height, or neither (the camera's own size).");
        }
        if (width % 2 != 0 || height % 2 != 0) {
            throw Errors.badParams("The width and height must be even numbers, not " + width + "x" + height + ".");
        }
        double fps = Errors.number(request, "fps", 0, 0, 120);
        return new CameraSpec(cameraId, name, source, width, height, fps);
    }

    /** The source if this client can try it; otherwise BAD_SOURCE with the reason. */
    static String checkSource(String source) {
        if (source.length() > MAX_SOURCE_CHARS || source.chars().anyMatch(Character::isISOControl)) {
            throw Errors.badSource("The source must be at most " + MAX_SOURCE_CHARS + " characters, without control characters.");
        }
        switch (kindOf(source)) {
            case LAVFI -> {
                if (source.length() == "lavfi:".length()) {
                    throw Errors.badSource("The source 'lavfi:' needs a filter graph, e.g. lavfi:testsrc=size=640x480:rate=25.");
                }
                var graph = LAVFI_GRAPH.matcher(source.substring("lavfi:".length()));
                if (!graph.matches() || !LAVFI_SOURCES.contains(graph.group(1))) {
                    throw Errors.badSource("A lavfi: camera is one test source (testsrc, testsrc2, smptebars, color, "
                            + "mandelbrot, ...) with its options, e.g. lavfi:testsrc=size=640x480:rate=25.");
                }
            }
            case AVFOUNDATION -> {
                if (source.length() == "avfoundation:".length()) {
                    throw Errors.badSource("The source 'avfoundation:' needs a device, e.g. avfoundation:0.");
                }
            }
            case DSHOW -> {
                if (source.length() == "video=".length()) {
                    throw Errors.badSource("The source 'video=' needs a DirectShow device name, e.g. video=Integrated Camera.");
                }
            }
            case URL -> {
                var matcher = SCHEME.matcher(source);
                matcher.matches();
                String scheme = matcher.group(1).toLowerCase(Locale.ROOT);
                if (!STREAM_SCHEMES.contains(scheme)) {
                    throw Errors.badSource("The source scheme '" + Errors.quote(scheme) + "' is not supported: use rtsp, rtmp, "
                            + "http(s), udp, tcp, srt, a device, a video file path or lavfi:<graph>.");
                }
            }
            case FILE -> checkFile(source);
            case V4L2 -> {
                // a USB camera may be plugged in later: the grabber retries until it appears
            }
        }
        return source;
    }

    private static void checkFile(String source) {
        Path path;
        try {
            path = Path.of(source);
        } catch (InvalidPathException e) {
            throw notASource(source);
        }
        if (!path.isAbsolute()) {
            throw notASource(source);
        }
        if (!Files.isRegularFile(path)) {
            throw Errors.badSource("The video file '" + Errors.quote(source) + "' does not exist on this client.");
        }
        if (!Files.isReadable(path)) {
            throw Errors.badSource("The video file '" + Errors.quote(source) + "' cannot be read by the agent.");
        }
    }

    private static RuntimeException notASource(String source) {
        return Errors.badSource("The source '" + Errors.quote(source) + "' is not a device, a stream URL, an absolute "
                + "video file path or lavfi:<graph>.");
    }
}
