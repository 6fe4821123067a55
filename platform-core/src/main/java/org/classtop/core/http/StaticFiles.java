package org.classtop.core.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Function;

/**
 * Serves files from class loaders: the web UI ({@code classtop-web/}), plugin assets
 * ({@code /plugins/<id>/x} from {@code static/<id>/x} in that plugin) and Swagger UI.
 * Reads on a worker thread; rejects any path with {@code ..}.
 */
public final class StaticFiles implements HttpHandler {
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"), Map.entry("woff2", "font/woff2"), Map.entry("woff", "font/woff"),
            Map.entry("ttf", "font/ttf"), Map.entry("map", "application/json"), Map.entry("txt", "text/plain; charset=utf-8"));

    /**
     * Pages may load scripts, styles, fonts and data only from this server (the UI works offline and an
     * agent-supplied string can never run as script), and may not be framed.
     */
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
            + "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    /** Maps a request path to a resource URL, or null. */
    private final Function<String, URL> resolver;
    /** Compressed files by ETag; the files come from jars, so this holds a few hundred KiB at most. */
    private final Map<String, byte[]> gzipped = new java.util.concurrent.ConcurrentHashMap<>();

    public StaticFiles(Function<String, URL> resolver) {
        this.resolver = resolver;
    }

    /** Files under {@code folder} of {@code loader}; {@code /} serves {@code index.html}. */
    public static StaticFiles classpath(ClassLoader loader, String folder, String urlPrefix) {
        return new StaticFiles(path -> {
            String relative = path.substring(Math.min(urlPrefix.length(), path.length()));
            if (relative.isEmpty() || relative.equals("/")) {
                relative = "/index.html";
            }
            return safe(relative) ? loader.getResource(folder + relative) : null;
        });
    }

    private static String etag(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        return "\"" + Long.toHexString(crc.getValue()) + "-" + Integer.toHexString(bytes.length) + "\"";
    }

    public static boolean safe(String relative) {
        return !relative.contains("..") && !relative.contains("\\") && !relative.contains("//") && !relative.contains("\0");
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws IOException {
        if (exchange.isInIoThread()) {
            exchange.dispatch(this);
            return;
        }
        String method = exchange.getRequestMethod().toString();
        URL url = resolver.apply(exchange.getRequestPath());
        if (url == null || url.getPath().endsWith("/")) {
            ResponseWriter.error(exchange, new org.classtop.api.server.ApiException(404, "NOT_FOUND",
                    "Nothing is at " + exchange.getRequestPath() + "."));
            return;
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            ResponseWriter.error(exchange, new org.classtop.api.server.ApiException(405, "METHOD_NOT_ALLOWED",
                    "Static files accept only GET."));
            return;
        }
        byte[] bytes;
        try (InputStream in = url.openStream()) {
            bytes = in.readAllBytes();
        }
        String name = url.getPath();
        String extension = name.substring(name.lastIndexOf('.') + 1);
        // Browsers revalidate every file (a 304 when unchanged), so after an upgrade no tab mixes old and new modules.
        String etag = etag(bytes);
        exchange.getResponseHeaders().put(Headers.ETAG, etag);
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-cache");
        if (etag.equals(exchange.getRequestHeaders().getFirst(Headers.IF_NONE_MATCH))) {
            exchange.setStatusCode(304);
            exchange.endExchange();
            return;
        }
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, TYPES.getOrDefault(extension, "application/octet-stream"));
        exchange.getResponseHeaders().put(Headers.X_CONTENT_TYPE_OPTIONS, "nosniff");
        if (name.endsWith(".html")) {
            exchange.getResponseHeaders().put(Headers.CONTENT_SECURITY_POLICY, PAGE_POLICY);
            exchange.getResponseHeaders().put(Headers.X_FRAME_OPTIONS, "DENY");
            exchange.getResponseHeaders().put(Headers.REFERRER_POLICY, "same-origin");
        }
        exchange.getResponseHeaders().put(Headers.VARY, "Accept-Encoding");
        String type = TYPES.getOrDefault(extension, "");
        boolean compressible = type.startsWith("text/") || type.startsWith("application/json") || type.startsWith("image/svg");
        String acceptEncoding = exchange.getRequestHeaders().getFirst(Headers.ACCEPT_ENCODING);
        byte[] body = bytes;
        if (compressible && bytes.length > 1024 && acceptEncoding != null && acceptEncoding.contains("gzip")) {
            body = gzipped.computeIfAbsent(etag, key -> gzip(bytes)); // MDUI: 356 KiB, about 90 KiB gzipped
            exchange.getResponseHeaders().put(Headers.CONTENT_ENCODING, "gzip");
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static byte[] gzip(byte[] bytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(bytes.length / 3);
        try (java.util.zip.GZIPOutputStream zip = new java.util.zip.GZIPOutputStream(out)) {
            zip.write(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
