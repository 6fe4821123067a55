package org.classtop.plugins.cctv.cameras.agent;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.videosources.ffmpeg.SourceCheck;

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
    private static final Pattern V4L2 = Pattern.compile("/dev/(video\\d+|v4l/by-(id|path)/[^/]+)");
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
        return kind() == Kind.LAVFI || isFile();
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
                String problem = SourceCheck.lavfi(source.substring("lavfi:".length()));
                if (problem != null) {
                    throw Errors.badSource(problem);
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
                String problem = SourceCheck.scheme(Errors.quote(matcher.group(1)));
                if (problem != null) {
                    throw Errors.badSource(problem);
                }
            }
            case FILE -> checkFile(source);
            case V4L2 -> {
                // a USB camera may be plugged in later: the grabber retries until it appears
            }
        }
        return source;
    }

    /**
     * Why a saved source must not be opened (it no longer passes the source check, e.g. a lavfi graph saved before
     * the whitelist), or null. A file that is missing now is not refused: it may come back, the grabber retries.
     */
    static String refusal(String source) {
        try {
            if (kindOf(source) != Kind.FILE) {
                checkSource(source);
            } else if (source.length() > MAX_SOURCE_CHARS || !Path.of(source).isAbsolute()) {
                return "The source is not a device, a stream URL, an absolute video file path or lavfi:<graph>.";
            }
            return null;
        } catch (CommandException e) {
            return e.getMessage();
        } catch (InvalidPathException e) {
            return "The source is not a valid file path.";
        }
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
