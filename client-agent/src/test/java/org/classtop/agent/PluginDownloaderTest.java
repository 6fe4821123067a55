package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginDownloaderTest {
    private static final byte[] JAR = "pretend these are the bytes of a jar".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path tempDir;
    private HttpServer server;
    private final Map<String, String> authorizations = new ConcurrentHashMap<>();
    private volatile byte[] served = JAR;
    /** Sends the body chunked, without a Content-Length, as a proxy may. */
    private volatile boolean chunked;
    private PluginCache cache;
    private PluginDownloader downloader;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/plugins/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            authorizations.put(path, String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            if (!"Bearer ctd_good".equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
            } else if (!path.equals("/api/plugins/settings/agent-jar")) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                byte[] body = served;
                exchange.sendResponseHeaders(200, chunked ? 0 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        server.createContext("/api/plugins/stalled/agent-jar", exchange -> {
            // Headers and a few bytes, then nothing: a proxy or a server that hangs mid-body.
            exchange.sendResponseHeaders(200, 1000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10]);
            out.flush();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.setExecutor(handlers);
        server.start();
        cache = new PluginCache(tempDir);
        String base = PluginDownloader.httpBase(URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/"));
        downloader = new PluginDownloader(HttpClient.newHttpClient(), base, cache, Duration.ofSeconds(10), 1024);
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }

    private final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    private final java.util.concurrent.ExecutorService handlers = java.util.concurrent.Executors.newCachedThreadPool();

    private PluginDownloader downloader(Duration inactivity, Duration overall, long cacheLimit) {
        String base = PluginDownloader.httpBase(URI.create("ws://127.0.0.1:" + server.getAddress().getPort() + "/"));
        return new PluginDownloader(HttpClient.newHttpClient(), base, cache, Duration.ofSeconds(10), 1024, inactivity, overall,
                cacheLimit);
    }

    @Test
    void aBodyThatStallsIsGivenUpAfterTheInactivityLimitAndItsPartIsDeleted() throws Exception {
        AnnouncedPlugins.Announced plugin = new AnnouncedPlugins.Announced("stalled", "1.0.0", sha(JAR), List.of());
        long started = System.nanoTime();
        IOException stalled = assertThrows(IOException.class,
                () -> downloader(Duration.ofMillis(300), Duration.ofMinutes(5), Long.MAX_VALUE).download(plugin, "ctd_good"));
        assertTrue(stalled.getMessage().endsWith("/api/plugins/stalled/agent-jar was given up: the server sent nothing for 300 ms."),
                stalled.getMessage());
        assertTrue(System.nanoTime() - started < Duration.ofSeconds(9).toNanos(), "not the 10 s request time-out");
        assertFalse(Files.exists(cache.partial("stalled", sha(JAR))));
    }

    @Test
    void aStalledBodyIsGivenUpAtTheOverallDeadlineAndForANewerAnnounce() throws Exception {
        AnnouncedPlugins.Announced plugin = new AnnouncedPlugins.Announced("stalled", "1.0.0", sha(JAR), List.of());
        IOException late = assertThrows(IOException.class,
                () -> downloader(Duration.ofMinutes(5), Duration.ofMillis(300), Long.MAX_VALUE).download(plugin, "ctd_good"));
        assertTrue(late.getMessage().endsWith(" was given up: it took longer than 300 ms."), late.getMessage());

        java.util.concurrent.atomic.AtomicBoolean newer = new java.util.concurrent.atomic.AtomicBoolean();
        handlers.execute(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
            newer.set(true);
        });
        IOException superseded = assertThrows(PluginDownloader.Superseded.class,
                () -> downloader(Duration.ofMinutes(5), Duration.ofMinutes(5), Long.MAX_VALUE).download(plugin, "ctd_good", newer::get));
        assertEquals("The download of plugin 'stalled' 1.0.0 was abandoned: the server announced a newer plugin list.",
                superseded.getMessage());
        assertFalse(Files.exists(cache.partial("stalled", sha(JAR))));
    }

    @Test
    void aFullCacheRefusesFurtherDownloadsWithASentence() throws Exception {
        Files.createDirectories(cache.folder());
        Files.write(cache.folder().resolve("clock-" + "a".repeat(64) + ".jar"), new byte[100]);
        AnnouncedPlugins.Announced plugin = new AnnouncedPlugins.Announced("settings", "1.0.0", sha(JAR), List.of());
        IOException full = assertThrows(PluginDownloader.TooLarge.class,
                () -> downloader(Duration.ofMinutes(1), Duration.ofMinutes(1), 100 + JAR.length - 1).download(plugin, "ctd_good"));
        assertEquals("Plugin 'settings' was not downloaded: the plugin cache " + cache.folder() + " holds 100 bytes and may hold at most "
                + (100 + JAR.length - 1) + " bytes.", full.getMessage());
        assertInstanceOf(PluginDownloader.Verified.class,
                downloader(Duration.ofMinutes(1), Duration.ofMinutes(1), 100 + JAR.length).download(plugin, "ctd_good"));
    }

    private static String sha(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aMatchingDownloadLandsInTheCacheUnderItsHash() throws Exception {
        String sha = sha(JAR);
        PluginDownloader.Result result = downloader.download(new AnnouncedPlugins.Announced("settings", "1.0.0", sha, List.of()),
                "ctd_good");
        Path jar = assertInstanceOf(PluginDownloader.Verified.class, result).jar();
        assertEquals(tempDir.resolve("plugin-cache/settings-" + sha + ".jar"), jar);
        assertArrayEquals(JAR, Files.readAllBytes(jar));
        assertFalse(Files.exists(cache.partial("settings", sha)));
        assertEquals("Bearer ctd_good", authorizations.get("/api/plugins/settings/agent-jar"));
        assertEquals(jar, cache.verified("settings", sha).orElseThrow());
    }

    @Test
    void aDownloadWithAnotherHashIsDeletedAndReported() throws Exception {
        String announced = sha("something else".getBytes(StandardCharsets.UTF_8));
        PluginDownloader.Result result = downloader.download(
                new AnnouncedPlugins.Announced("settings", "1.0.0", announced, List.of()), "ctd_good");
        assertEquals(sha(JAR), assertInstanceOf(PluginDownloader.Mismatch.class, result).actualSha256());
        try (var files = Files.list(cache.folder())) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void aRefusedDownloadAndAnOversizedJarAreOneSentenceEach() throws Exception {
        AnnouncedPlugins.Announced plugin = new AnnouncedPlugins.Announced("settings", "1.0.0", sha(JAR), List.of());
        IOException refused = assertThrows(IOException.class, () -> downloader.download(plugin, "ctd_stale"));
        assertTrue(refused.getMessage().startsWith("Downloading plugin 'settings' from http://127.0.0.1:"), refused.getMessage());
        assertTrue(refused.getMessage().endsWith("/api/plugins/settings/agent-jar failed: the server answered HTTP 401."),
                refused.getMessage());

        served = new byte[2048];
        IOException tooBig = assertThrows(IOException.class, () -> downloader.download(
                new AnnouncedPlugins.Announced("settings", "1.0.0", sha(served), List.of()), "ctd_good"));
        assertEquals("Plugin 'settings' was not downloaded: its jar is larger than 1024 bytes.", tooBig.getMessage());
        assertFalse(Files.exists(cache.folder()), "refused before anything was written");

        chunked = true;
        IOException streamedTooBig = assertThrows(IOException.class, () -> downloader.download(
                new AnnouncedPlugins.Announced("settings", "1.0.0", sha(served), List.of()), "ctd_good"));
        assertEquals("Plugin 'settings' was not downloaded: its jar is larger than 1024 bytes.", streamedTooBig.getMessage());
        try (var files = Files.list(cache.folder())) {
            assertEquals(List.of(), files.toList(), "the partial download is deleted");
        }
    }

    @Test
    void aCachedJarWhoseBytesChangedIsDeleted() throws Exception {
        String sha = sha(JAR);
        Files.createDirectories(cache.folder());
        Files.write(cache.jar("settings", sha), "tampered".getBytes(StandardCharsets.UTF_8));
        assertTrue(cache.verified("settings", sha).isEmpty());
        assertFalse(Files.exists(cache.jar("settings", sha)));
    }

    @Test
    void theHttpBaseFollowsTheServerUrl() {
        assertEquals("https://lms.example:8443", PluginDownloader.httpBase(URI.create("wss://lms.example:8443/ws")));
        assertEquals("http://10.0.0.5:8765/classtop", PluginDownloader.httpBase(URI.create("http://10.0.0.5:8765/classtop/")));
    }
}
