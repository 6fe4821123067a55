package org.classtop.plugins.videosources.ffmpeg;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The one check of what FFmpeg may be asked to open, shared by video-sources (server) and cctv-cameras (agent):
 * which {@code lavfi:} graphs, URL schemes and input formats. Each method answers null when the value is
 * acceptable, else one sentence saying why not.
 */
public final class SourceCheck {
    /**
     * lavfi: one test-pattern source filter with plain options. Arbitrary graphs are refused: filters such as
     * movie, sendcmd or psnr's stats_file read or write files, zmq opens a socket; life and cellauto read a
     * file given as f=/filename=.
     */
    public static final Set<String> LAVFI_SOURCES = Set.of("testsrc", "testsrc2", "smptebars", "smptehdbars",
            "rgbtestsrc", "yuvtestsrc", "color", "mandelbrot", "pal75bars", "pal100bars", "allrgb", "allyuv",
            "gradients", "zoneplate", "colorspectrum", "colorchart", "haldclutsrc");
    /** URL schemes FFmpeg may open as a client. */
    public static final Set<String> SCHEMES = Set.of("rtsp", "rtsps", "rtmp", "rtmps", "http", "https", "udp", "rtp",
            "srt", "tcp", "file");
    /** Input formats that may be named explicitly (others, e.g. concat or image2, read further files). */
    public static final Set<String> FORMATS = Set.of("mjpeg", "mpjpeg", "h264", "hevc", "mpegts", "flv", "rtsp", "rtp",
            "mov", "mp4", "matroska", "avi", "mpeg", "lavfi");
    private static final Pattern LAVFI_GRAPH = Pattern.compile("([a-z0-9]+)(=[A-Za-z0-9_.:=#+-]*)?");
    private static final Pattern FILE_KEY = Pattern.compile("(^|[=:])(f|filename)=");

    private SourceCheck() {
    }

    /** A lavfi graph (without the {@code lavfi:} prefix). */
    public static String lavfi(String graph) {
        if (graph == null || graph.isBlank()) {
            return "The source 'lavfi:' needs a filter graph, e.g. lavfi:testsrc=size=640x480:rate=25.";
        }
        var matcher = LAVFI_GRAPH.matcher(graph);
        if (!matcher.matches() || !LAVFI_SOURCES.contains(matcher.group(1)) || FILE_KEY.matcher(graph).find()) {
            return "A lavfi: source is one test source (" + String.join(", ", new TreeSet<>(LAVFI_SOURCES))
                    + ") with plain options, e.g. lavfi:testsrc=size=640x480:rate=25.";
        }
        return null;
    }

    /** The scheme of a {@code scheme://...} URL. */
    public static String scheme(String scheme) {
        if (!SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
            return "The scheme '" + scheme.replaceAll("[^A-Za-z0-9+.-]", "?") + "' is not supported: use "
                    + String.join(", ", new TreeSet<>(SCHEMES)) + ", a device, a video file path or lavfi:<graph>.";
        }
        return null;
    }

    /** An explicitly named FFmpeg input format (null: FFmpeg probes). */
    public static String format(String format) {
        if (format != null && !FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
            return "The input format must be one of " + String.join(", ", new TreeSet<>(FORMATS))
                    + " (or left out for FFmpeg to probe).";
        }
        return null;
    }
}
