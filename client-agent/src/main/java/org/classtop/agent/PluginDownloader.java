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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

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

    /** The server refused the download with an HTTP status other than 200. */
    static final class Refused extends IOException {
        private final int status;

        Refused(String message, int status) {
            super(message);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** A newer announce arrived during the download, which was abandoned in its favour. */
    static final class Superseded extends IOException {
        Superseded(String message) {
            super(message);
        }
    }

    /** The jar is larger than the agent takes, or the cache is full: asking again does not help. */
    static final class TooLarge extends IOException {
        TooLarge(String message) {
            super(message);
        }
    }

    static final Duration INACTIVITY = Duration.ofSeconds(60);
    static final Duration OVERALL = Duration.ofMinutes(30);
    static final long CACHE_LIMIT = 2L * 1024 * 1024 * 1024;

    private static final ScheduledExecutorService WATCHDOG =
            Executors.newSingleThreadScheduledExecutor(NamedThreads.factory("classtop-agent-download-watchdog", true));

    private final HttpClient http;
    private final String httpBase;
    private final PluginCache cache;
    private final Duration timeout;
    private final long maxBytes;
    private final Duration inactivity;
    private final Duration overall;
    private final long cacheLimit;

    PluginDownloader(HttpClient http, String httpBase, PluginCache cache, Duration timeout) {
        this(http, httpBase, cache, timeout, MAX_BYTES);
    }

    PluginDownloader(HttpClient http, String httpBase, PluginCache cache, Duration timeout, long maxBytes) {
        this(http, httpBase, cache, timeout, maxBytes, INACTIVITY, OVERALL, CACHE_LIMIT);
    }

    /**
     * @param timeout    how long the server may take to answer with its headers
     * @param inactivity how long the body may send nothing before the download is given up
     * @param overall    how long a whole download may take
     * @param cacheLimit how many bytes the plugin cache may hold; a download that would exceed it is refused
     */
    PluginDownloader(HttpClient http, String httpBase, PluginCache cache, Duration timeout, long maxBytes,
                     Duration inactivity, Duration overall, long cacheLimit) {
        this.http = http;
        this.httpBase = httpBase;
        this.cache = cache;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
        this.inactivity = inactivity;
        this.overall = overall;
        this.cacheLimit = cacheLimit;
    }

    Result download(AnnouncedPlugins.Announced plugin, String token) throws IOException, InterruptedException {
        return download(plugin, token, () -> false);
    }

    /**
     * Downloads {@code plugin}'s jar. A body that sends nothing for {@code inactivity}, or a download longer than
     * {@code overall}, is given up; so is one during which {@code superseded} turns true (a newer announce waits).
     *
     * @throws IOException with one sentence when the server refused ({@link Refused}), the connection failed or
     *                     stalled, the jar is too big or the cache full; {@link Superseded} when a newer announce won
     */
    Result download(AnnouncedPlugins.Announced plugin, String token, BooleanSupplier superseded)
            throws IOException, InterruptedException {
        URI uri = URI.create(httpBase + "/api/plugins/" + URLEncoder.encode(plugin.id(), StandardCharsets.UTF_8) + "/agent-jar");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        long cached = cache.size();
        if (cached >= cacheLimit) {
            throw cacheFull(plugin, cached);
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
                throw new Refused("Downloading plugin '" + plugin.id() + "' from " + uri + " failed: the server answered HTTP "
                        + response.statusCode() + ".", response.statusCode());
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) {
                throw tooBig(plugin);
            }
            if (declared > 0 && cached + declared > cacheLimit) {
                throw cacheFull(plugin, cached);
            }
            Files.createDirectories(cache.folder());
            Path part = cache.partial(plugin.id(), plugin.sha256());
            MessageDigest digest = PluginCache.newDigest();
            boolean keep = false;
            Watchdog watchdog = new Watchdog(body, superseded);
            try {
                long total = 0;
                try (OutputStream out = Files.newOutputStream(part)) {
                    byte[] buffer = new byte[64 * 1024];
                    int read;
                    while (true) {
                        try {
                            read = body.read(buffer);
                        } catch (IOException e) {
                            throw watchdog.explain(plugin, uri, e);
                        }
                        if (read < 0) {
                            break;
                        }
                        watchdog.progress();
                        if (superseded.getAsBoolean()) {
                            throw superseded(plugin);
                        }
                        total += read;
                        if (total > maxBytes) {
                            throw tooBig(plugin);
                        }
                        if (cached + total > cacheLimit) {
                            throw cacheFull(plugin, cached);
                        }
                        digest.update(buffer, 0, read);
                        out.write(buffer, 0, read);
                    }
                }
                if (watchdog.reason() != null) {
                    throw watchdog.explain(plugin, uri, null);
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
                watchdog.stop();
                if (!keep) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }

    /**
     * Closes the body when it sent nothing for {@code inactivity}, when the download passed {@code overall}, or
     * when a newer announce waits: a blocked {@code read} then ends with an exception this explains.
     */
    private final class Watchdog {
        private final InputStream body;
        private final BooleanSupplier superseded;
        private final long started = System.nanoTime();
        private volatile long lastProgress = started;
        private volatile String reason;
        private final ScheduledFuture<?> check;

        Watchdog(InputStream body, BooleanSupplier superseded) {
            this.body = body;
            this.superseded = superseded;
            long period = Math.max(10, Math.min(1000, inactivity.toMillis() / 4));
            this.check = WATCHDOG.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
        }

        void progress() {
            lastProgress = System.nanoTime();
        }

        String reason() {
            return reason;
        }

        private void check() {
            long now = System.nanoTime();
            String why = null;
            if (superseded.getAsBoolean()) {
                why = "superseded";
            } else if (now - lastProgress > inactivity.toNanos()) {
                why = "the server sent nothing for " + describe(inactivity);
            } else if (now - started > overall.toNanos()) {
                why = "it took longer than " + describe(overall);
            }
            if (why != null && reason == null) {
                reason = why;
                check.cancel(false);
                try {
                    body.close();
                } catch (IOException | RuntimeException e) {
                    // closing is all that is asked; the reader sees the end of the stream
                }
            }
        }

        IOException explain(AnnouncedPlugins.Announced plugin, URI uri, IOException cause) {
            String why = reason;
            if (why == null) {
                return new IOException("Downloading plugin '" + plugin.id() + "' from " + uri + " failed: "
                        + AgentConnection.describeOpenFailure(cause) + ".", cause);
            }
            if ("superseded".equals(why)) {
                return superseded(plugin);
            }
            IOException stalled = new IOException("Downloading plugin '" + plugin.id() + "' from " + uri + " was given up: "
                    + why + ".");
            if (cause != null) {
                stalled.initCause(cause);
            }
            return stalled;
        }

        void stop() {
            check.cancel(false);
        }
    }

    private static String describe(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds == 0) {
            return duration.toMillis() + " ms";
        }
        return seconds % 60 == 0 ? seconds / 60 + (seconds == 60 ? " minute" : " minutes") : seconds + " seconds";
    }

    private static Superseded superseded(AnnouncedPlugins.Announced plugin) {
        return new Superseded("The download of plugin '" + plugin.id() + "' " + plugin.version()
                + " was abandoned: the server announced a newer plugin list.");
    }

    private IOException cacheFull(AnnouncedPlugins.Announced plugin, long cached) {
        return new TooLarge("Plugin '" + plugin.id() + "' was not downloaded: the plugin cache " + cache.folder() + " holds "
                + mebibytes(cached) + " and may hold at most " + mebibytes(cacheLimit) + ".");
    }

    private static String mebibytes(long bytes) {
        return bytes >= 1024 * 1024 ? bytes / (1024 * 1024) + " MiB" : bytes + " bytes";
    }

    private IOException tooBig(AnnouncedPlugins.Announced plugin) {
        return new TooLarge("Plugin '" + plugin.id() + "' was not downloaded: its jar is larger than "
                + mebibytes(maxBytes) + ".");
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
