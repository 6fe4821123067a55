package org.classtop.core.plugins;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SHA-256 of plugin jars, each jar version (absolute path, size, last-modified time) hashed once: ahead of
 * need on one background daemon thread ({@link #prefetch}), and remembered across restarts in a properties file
 * ({@code <path>=<size> <mtime> <hex>}, written whole through a temporary file, only for jars that exist).
 * Whoever needs a digest waits for its computation in flight, or runs it itself when it has not begun, so a
 * caller never waits behind other jars or a blocked thread.
 */
final class PluginDigests implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PluginDigests.class);
    private static final Pattern ENTRY = Pattern.compile("(\\d+) (-?\\d+) ([0-9a-f]{64})");

    private final Path file;
    /** By absolute path: the newest known version of each jar and its digest (null: the jar is gone or unreadable). */
    private final Map<Path, Digest> digests = new ConcurrentHashMap<>();
    /** What the file holds, to write it only when that changes. */
    private Map<String, String> saved = Map.of();
    /** Jars whose "cannot be read" warning was logged; removed once read again. */
    private final Set<Path> reportedUnreadable = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor background;
    private final AtomicInteger computed = new AtomicInteger();
    private volatile boolean closed;

    /** One jar version's digest: {@code claimed} by the thread that computes it. */
    private record Digest(String stamp, CompletableFuture<String> sha256, AtomicBoolean claimed) {
        Digest(String stamp) {
            this(stamp, new CompletableFuture<>(), new AtomicBoolean());
        }
    }

    PluginDigests(Path file) {
        this.file = file;
        this.background = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
            Thread thread = new Thread(task, "classtop-plugin-digests");
            thread.setDaemon(true);
            return thread;
        });
        background.allowCoreThreadTimeOut(true);
        load();
    }

    /** Reads the file; an unreadable file or entry is ignored (those digests are computed again). */
    private void load() {
        if (!Files.isRegularFile(file)) {
            return;
        }
        Properties stored = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            stored.load(in);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("The plugin digest cache {} is unreadable and is ignored: {}", file, e.getMessage());
            return;
        }
        Map<String, String> read = new TreeMap<>();
        for (String jar : stored.stringPropertyNames()) {
            String value = stored.getProperty(jar);
            java.util.regex.Matcher entry = ENTRY.matcher(value);
            if (entry.matches()) {
                read.put(jar, value);
                digests.put(Path.of(jar), new Digest(entry.group(1) + " " + entry.group(2),
                        CompletableFuture.completedFuture(entry.group(3)), new AtomicBoolean(true)));
            }
        }
        saved = read;
    }

    /** Starts computing, on the background thread, the digests of these jars that are not known yet. */
    void prefetch(Collection<Path> jars) {
        for (Path jar : jars) {
            Path key = jar.toAbsolutePath().normalize();
            Digest digest = current(key);
            if (digest != null && !digest.claimed().get()) {
                background.execute(() -> {
                    if (!closed) {
                        compute(key, digest);
                    }
                });
            }
        }
    }

    /** Completes once the digests of these jars are known (each one computed, found gone or failed). */
    CompletableFuture<Void> ready(Collection<Path> jars) {
        return CompletableFuture.allOf(jars.stream().map(jar -> digests.get(jar.toAbsolutePath().normalize()))
                .filter(java.util.Objects::nonNull).map(Digest::sha256).toArray(CompletableFuture[]::new));
    }

    /**
     * The jar's SHA-256 as hex, or null when the jar is gone or cannot be read (logged); waits for a computation
     * in flight, and computes it here when none began.
     */
    String of(Path jar) {
        Path key = jar.toAbsolutePath().normalize();
        Digest digest = current(key);
        if (digest == null) {
            return null;
        }
        if (!digest.claimed().get()) {
            compute(key, digest);
        }
        return digest.sha256().join();
    }

    /** How many digests were computed (not read from the file): for tests. */
    int computed() {
        return computed.get();
    }

    /** The entry for the jar as it is now (a new, unclaimed one when it changed); null when the jar is gone. */
    private Digest current(Path key) {
        String stamp;
        try {
            stamp = stampOf(key);
        } catch (NoSuchFileException e) {
            digests.remove(key);
            reportedUnreadable.remove(key); // gone, not broken: the set holds only jars that exist
            return null;
        } catch (IOException e) {
            unreadable(key, e);
            return null;
        }
        return digests.compute(key, (path, known) -> known != null && known.stamp().equals(stamp) ? known : new Digest(stamp));
    }

    /** Computes the digest unless another thread claimed it; a failure is not kept, so the next need tries again. */
    private void compute(Path key, Digest digest) {
        if (!digest.claimed().compareAndSet(false, true)) {
            return;
        }
        String sha256 = null;
        try {
            long start = System.nanoTime();
            sha256 = hash(key);
            computed.incrementAndGet();
            LOG.info("Plugin jar {} hashed for agents in {} ms (once per jar version: kept in {})", key.getFileName(),
                    (System.nanoTime() - start) / 1_000_000, file.getFileName());
        } catch (NoSuchFileException e) {
            digests.remove(key, digest);
        } catch (java.nio.channels.ClosedByInterruptException e) {
            digests.remove(key, digest);   // closing
        } catch (IOException e) {
            digests.remove(key, digest);
            unreadable(key, e);
        } finally {
            digest.sha256().complete(sha256);
        }
        if (sha256 != null) {
            reportedUnreadable.remove(key);
            save();
        }
    }

    private static String hash(Path jar) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This Java has no SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(jar)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    /** Writes the known digests of jars that exist unchanged, through a temporary file; a failure is logged. */
    private synchronized void save() {
        Map<String, String> entries = new TreeMap<>();
        digests.forEach((jar, digest) -> {
            String sha256 = digest.sha256().getNow(null);
            if (sha256 != null && digest.stamp().equals(stampOrNull(jar))) {
                entries.put(jar.toString(), digest.stamp() + " " + sha256);
            }
        });
        if (entries.equals(saved) || closed) {
            return;
        }
        Properties properties = new Properties();
        properties.putAll(entries);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".plugin-digests-", ".tmp");
            try {
                try (Writer out = Files.newBufferedWriter(temporary)) {
                    properties.store(out, "SHA-256 of plugin jars: <path>=<size> <last-modified ms> <hex>");
                }
                org.classtop.core.AtomicReplace.move(temporary, file);
            } finally {
                Files.deleteIfExists(temporary);
            }
            saved = entries;
        } catch (IOException e) {
            LOG.warn("Cannot write the plugin digest cache {} (the digests are computed again at the next start): {}",
                    file, e.getMessage());
        }
    }

    /**
     * Logs an unreadable jar once (at WARN) until it has been read again: the plugin list asks for the digests on
     * every {@code GET /api/plugins}, and one broken file should not fill the log.
     */
    private void unreadable(Path key, IOException e) {
        if (reportedUnreadable.add(key)) {
            LOG.warn("Plugin jar {} cannot be read, so agents are not told about it: {}", key, e.getMessage());
        } else {
            LOG.debug("Plugin jar {} still cannot be read: {}", key, e.getMessage());
        }
    }

    /** What identifies a jar version: {@code <size> <last-modified ms>}. */
    private static String stampOf(Path jar) throws IOException {
        return Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
    }

    /** The jar's stamp, or null when it cannot be read. */
    private static String stampOrNull(Path jar) {
        try {
            return stampOf(jar);
        } catch (IOException e) {
            return null;
        }
    }

    /** Stops the background thread; a computation cut short is not kept. */
    @Override
    public void close() {
        closed = true;
        background.shutdownNow();
    }
}
