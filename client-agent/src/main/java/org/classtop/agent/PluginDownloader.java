package org.classtop.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Fetches an agent side from {@code GET /api/plugins/{id}/agent-jar} with the session's download token,
 * through the agent's own HTTP client (the WebSocket's TLS trust and pin). Streams to
 * {@code <id>-<sha256>.jar.part}, hashing as it goes, at most {@link #MAX_BYTES}; renames it to the jar
 * only when the hash matches, otherwise deletes it.
 */
final class PluginDownloader {
    static final long MAX_BYTES = 256L * 1024 * 1024;

    /** The outcome: the verified jar, or the hash the bytes had instead. */
    sealed interface Result permits Verified, Mismatch {
    }

    record Verified(Path jar) implements Result {
    }

    record Mismatch(String actualSha256) implements Result {
    }

    private final HttpClient http;
    private final String httpBase;
    private final PluginCache cache;
    private final Duration timeout;
    private final long maxBytes;

    PluginDownloader(HttpClient http, String httpBase, PluginCache cache, Duration timeout) {
        this(http, httpBase, cache, timeout, MAX_BYTES);
    }

    PluginDownloader(HttpClient http, String httpBase, PluginCache cache, Duration timeout, long maxBytes) {
        this.http = http;
        this.httpBase = httpBase;
        this.cache = cache;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    /**
     * Downloads {@code plugin}'s jar.
     *
     * @throws IOException with one sentence when the server refused, the connection failed or the jar is too big
     */
    Result download(AnnouncedPlugins.Announced plugin, String token) throws IOException, InterruptedException {
        URI uri = URI.create(httpBase + "/api/plugins/" + URLEncoder.encode(plugin.id(), StandardCharsets.UTF_8) + "/agent-jar");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IOException("Downloading plugin '" + plugin.id() + "' from " + uri + " failed: "
                    + AgentConnection.describeOpenFailure(e) + ".", e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("Downloading plugin '" + plugin.id() + "' from " + uri + " failed: the server answered HTTP "
                        + response.statusCode() + ".");
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw tooBig(plugin);
            }
            Files.createDirectories(cache.folder());
            Path part = cache.partial(plugin.id(), plugin.sha256());
            MessageDigest digest = PluginCache.newDigest();
            boolean keep = false;
            try {
                long total = 0;
                try (OutputStream out = Files.newOutputStream(part)) {
                    byte[] buffer = new byte[64 * 1024];
                    int read;
                    while ((read = body.read(buffer)) > 0) {
                        total += read;
                        if (total > maxBytes) {
                            throw tooBig(plugin);
                        }
                        digest.update(buffer, 0, read);
                        out.write(buffer, 0, read);
                    }
                }
                String actual = HexFormat.of().formatHex(digest.digest());
                if (!actual.equals(plugin.sha256())) {
                    return new Mismatch(actual);
                }
                Path jar = cache.jar(plugin.id(), plugin.sha256());
                try {
                    Files.move(part, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, jar, StandardCopyOption.REPLACE_EXISTING);
                }
                keep = true;
                return new Verified(jar);
            } finally {
                if (!keep) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }

    private IOException tooBig(AnnouncedPlugins.Announced plugin) {
        return new IOException("Plugin '" + plugin.id() + "' was not downloaded: its jar is larger than "
                + (maxBytes >= 1024 * 1024 ? maxBytes / (1024 * 1024) + " MiB" : maxBytes + " bytes") + ".");
    }

    /** The HTTP base of a server URL: ws→http, wss→https, same host and port, without a trailing {@code /ws} or slash. */
    static String httpBase(URI serverUrl) {
        String text = serverUrl.toString();
        if (text.startsWith("ws://")) {
            text = "http://" + text.substring(5);
        } else if (text.startsWith("wss://")) {
            text = "https://" + text.substring(6);
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.endsWith("/ws")) {
            text = text.substring(0, text.length() - 3);
        }
        return text;
    }
}
