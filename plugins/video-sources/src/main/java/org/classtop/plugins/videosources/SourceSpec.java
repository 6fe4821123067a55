package org.classtop.plugins.videosources;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.classtop.api.server.ApiException;
import org.classtop.plugins.videosources.ffmpeg.SourceCheck;

/**
 * A source as an admin adds it: {@code {"id","url","format"?}}, validated into one of three kinds: a TCP
 * camera read by the plugin itself, or anything FFmpeg reads (URL, file, {@code lavfi:} graph).
 */
record SourceSpec(String id, String url, String format, Kind kind, String host, int port) {
    enum Kind { TCP_LENGTH_PREFIXED, TCP_MJPEG, FFMPEG }

    static final String LENGTH_PREFIXED = "jpeg-length-prefixed";
    static final String MJPEG = "mjpeg";
    static final int MAX_URL_LENGTH = 2048;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The shared schemes without tcp://, which this plugin reads itself. */
    private static final Set<String> FFMPEG_SCHEMES = SourceCheck.SCHEMES.stream().filter(s -> !s.equals("tcp"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** Checks a request body's fields; every refusal is a 400 whose sentence names the field. */
    static SourceSpec parse(Object idValue, Object urlValue, Object formatValue) {
        String id = text("id", idValue);
        if (id == null || !ID.matcher(id).matches()) {
            throw ApiException.badRequest("The field 'id' must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }
        String url = text("url", urlValue);
        if (url == null || url.isBlank()) {
            throw ApiException.badRequest("The field 'url' is required: tcp://host:port, an FFmpeg URL or file, or a lavfi: graph.");
        }
        url = url.trim();
        if (url.length() > MAX_URL_LENGTH || url.chars().anyMatch(c -> c < 0x20)) {
            throw ApiException.badRequest("The field 'url' must be at most " + MAX_URL_LENGTH + " characters without control characters.");
        }
        String format = text("format", formatValue);
        format = format == null || format.isBlank() ? null : format.trim().toLowerCase(Locale.ROOT);
        String lower = url.toLowerCase(Locale.ROOT);
        if (lower.startsWith("tcp://")) {
            return tcp(id, url, format);
        }
        if (lower.startsWith("lavfi:")) {
            String problem = SourceCheck.lavfi(url.substring("lavfi:".length()));
            if (problem != null) {
                throw ApiException.badRequest("The field 'url': " + problem);
            }
            if (format != null && !format.equals("lavfi")) {
                throw ApiException.badRequest("The field 'format' must be left out (or be lavfi) for a lavfi: source.");
            }
            return new SourceSpec(id, url, "lavfi", Kind.FFMPEG, null, 0);
        }
        if (LENGTH_PREFIXED.equals(format)) {
            throw ApiException.badRequest("The field 'format' jpeg-length-prefixed is only for tcp:// sources.");
        }
        String formatProblem = SourceCheck.format(format);
        if (formatProblem != null || "lavfi".equals(format)) {
            throw ApiException.badRequest("The field 'format': " + (formatProblem != null ? formatProblem
                    : "lavfi is only for lavfi: sources."));
        }
        int colon = url.indexOf("://");
        if (colon > 0) {
            String scheme = lower.substring(0, colon);
            if (!FFMPEG_SCHEMES.contains(scheme) || SourceCheck.scheme(scheme) != null) {
                throw ApiException.badRequest("The field 'url' has the scheme '" + scheme + "', which is not one of tcp, lavfi, "
                        + String.join(", ", FFMPEG_SCHEMES.stream().sorted().toList()) + " (or a file path).");
            }
            try {
                URI uri = new URI(url);
                if (!scheme.equals("file") && (uri.getHost() == null || uri.getHost().isBlank())) {
                    throw ApiException.badRequest("The field 'url' must name a host: " + scheme + "://host[:port]/...");
                }
            } catch (URISyntaxException e) {
                throw ApiException.badRequest("The field 'url' is not a valid URL: " + e.getReason() + ".");
            }
            return new SourceSpec(id, url, format, Kind.FFMPEG, null, 0);
        }
        try {
            Path file = Path.of(url);
            if (!file.isAbsolute()) {
                throw ApiException.badRequest("The field 'url' must be tcp://host:port, an FFmpeg URL, a lavfi: graph or an absolute file path.");
            }
            if (!Files.exists(file)) {
                throw ApiException.badRequest("The field 'url' names a file that does not exist on the server.");
            }
        } catch (InvalidPathException e) {
            throw ApiException.badRequest("The field 'url' is not a valid file path.");
        }
        return new SourceSpec(id, url, format, Kind.FFMPEG, null, 0);
    }

    private static SourceSpec tcp(String id, String url, String format) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("The field 'url' is not a valid tcp://host:port address.");
        }
        String host = uri.getHost();
        int port = uri.getPort();
        boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
                && uri.getRawQuery() == null && uri.getRawUserInfo() == null;
        if (host == null || port < 1 || port > 65535 || !bare) {
            throw ApiException.badRequest("The field 'url' must be tcp://host:port with a port from 1 to 65535.");
        }
        String chosen = format == null ? LENGTH_PREFIXED : format;
        Kind kind = switch (chosen) {
            case LENGTH_PREFIXED -> Kind.TCP_LENGTH_PREFIXED;
            case MJPEG -> Kind.TCP_MJPEG;
            default -> throw ApiException.badRequest("The field 'format' must be jpeg-length-prefixed or mjpeg for a tcp:// source.");
        };
        return new SourceSpec(id, url, chosen, kind, host, port);
    }

    private static String text(String field, Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw ApiException.badRequest("The field '" + field + "' must be a string.");
        }
        return s;
    }

    /** Re-creates a stored source; a row that no longer validates (e.g. a deleted file) still loads as it was. */
    static SourceSpec stored(String id, String url, String format) {
        try {
            return parse(id, url, format);
        } catch (ApiException e) {
            return new SourceSpec(id, url, format, url.toLowerCase(Locale.ROOT).startsWith("tcp://")
                    ? (MJPEG.equals(format) ? Kind.TCP_MJPEG : Kind.TCP_LENGTH_PREFIXED) : Kind.FFMPEG, null, 0);
        }
    }

    /** Why FFmpeg must not open this source (one saved before the shared check), or null. */
    String refusal() {
        if (isTcp()) {
            return null;
        }
        if (isLavfi()) {
            return SourceCheck.lavfi(url.substring("lavfi:".length()));
        }
        if ("lavfi".equals(format)) {
            return "The input format lavfi is only for lavfi: sources.";
        }
        return SourceCheck.format(format);
    }

    boolean isTcp() {
        return kind != Kind.FFMPEG;
    }

    boolean isLavfi() {
        return url.regionMatches(true, 0, "lavfi:", 0, 6);
    }

    /** A local file or a lavfi graph: FFmpeg reads these as fast as it can, so they are paced by their timestamps. */
    boolean needsPacing() {
        return isLavfi() || !url.contains("://") || url.regionMatches(true, 0, "file://", 0, 7);
    }
}
