package org.classtop.core.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin jars' digest cache: computed once per jar version, kept across restarts, never trusted when stale. */
class PluginDigestsTest {
    @TempDir
    Path dir;

    private Path cache;
    private Path jar;

    @BeforeEach
    void jar() throws Exception {
        cache = dir.resolve("data/cache/plugin-digests.properties");
        jar = dir.resolve("plugins/video-1.0.0.jar");
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[300_000]);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void aRestartWithTheSameJarReadsTheDigestFromTheFile() throws Exception {
        try (PluginDigests first = new PluginDigests(cache)) {
            first.prefetch(List.of(jar));
            assertEquals(sha256(jar), first.ready(List.of(jar)).thenApply(done -> first.of(jar)).get(10, TimeUnit.SECONDS));
            assertEquals(sha256(jar), first.of(jar), "asked again: the same digest");
            assertEquals(1, first.computed(), "computed once, on the background thread");
            // The file is written right after the digest is handed out: wait for it rather than race the close.
            for (long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                 !(Files.exists(cache) && Files.readString(cache).contains(sha256(jar))) && System.nanoTime() < until; ) {
                Thread.sleep(10);
            }
        }
        assertTrue(Files.readString(cache).contains(sha256(jar)), Files.readString(cache));
        try (PluginDigests restarted = new PluginDigests(cache)) {
            restarted.prefetch(List.of(jar));
            assertEquals(sha256(jar), restarted.of(jar));
            assertEquals(0, restarted.computed(), "read from the file, nothing hashed");
        }
    }

    @Test
    void aJarOfAnotherSizeOrTimeIsHashedAgain() throws Exception {
        try (PluginDigests first = new PluginDigests(cache)) {
            first.of(jar);
        }
        Files.write(jar, new byte[300_001]);
        try (PluginDigests restarted = new PluginDigests(cache)) {
            assertEquals(sha256(jar), restarted.of(jar), "another size");
            assertEquals(1, restarted.computed());
        }
        Files.write(jar, new byte[]{1}, java.nio.file.StandardOpenOption.WRITE);   // same size, other content
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        try (PluginDigests restarted = new PluginDigests(cache)) {
            assertEquals(sha256(jar), restarted.of(jar), "same size, another last-modified time");
            assertEquals(1, restarted.computed());
        }
    }

    @Test
    void aCorruptFileOrEntryIsIgnoredAndRewritten() throws Exception {
        Files.createDirectories(cache.getParent());
        Files.writeString(cache, "\\u00zz garbage\n");   // a malformed escape: Properties cannot read it
        try (PluginDigests digests = new PluginDigests(cache)) {
            assertEquals(sha256(jar), digests.of(jar));
            assertEquals(1, digests.computed());
        }
        String stamp = Files.size(jar) + " " + Files.getLastModifiedTime(jar).toMillis();
        Files.writeString(cache, jar.toAbsolutePath().toString().replace("\\", "\\\\").replace(":", "\\:")
                + "=" + stamp + " not-a-digest\n");
        try (PluginDigests digests = new PluginDigests(cache)) {
            assertEquals(sha256(jar), digests.of(jar));
            assertEquals(1, digests.computed(), "an entry that is not size:mtime:hex is computed again");
        }
        assertTrue(Files.readString(cache).contains(stamp + " " + sha256(jar)), Files.readString(cache));
    }

    @Test
    void aMissingJarHasNoDigestAndLeavesTheFile() throws Exception {
        Path other = dir.resolve("plugins/other-1.0.0.jar");
        Files.write(other, new byte[]{1, 2, 3});
        try (PluginDigests digests = new PluginDigests(cache)) {
            digests.of(jar);
            digests.of(other);
        }
        assertTrue(Files.readString(cache).contains("other-1.0.0.jar"));
        Files.delete(other);
        Files.write(jar, new byte[10]);
        try (PluginDigests digests = new PluginDigests(cache)) {
            assertNull(digests.of(other), "a jar that is gone");
            assertEquals(sha256(jar), digests.of(jar));
        }
        assertFalse(Files.readString(cache).contains("other-1.0.0.jar"), "only jars that exist are kept: "
                + Files.readString(cache));
        try (PluginDigests digests = new PluginDigests(cache)) {
            assertNull(digests.of(dir.resolve("plugins/never.jar")));
            assertEquals(0, digests.computed());
        }
    }

    @Test
    void anUnreadableJarHasNoDigestAndIsTriedAgain() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("plugins/folder.jar"));   // reading it fails
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(PluginDigests.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged = new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try (PluginDigests digests = new PluginDigests(cache)) {
            assertNull(digests.of(folder));
            assertNull(digests.of(folder));
            assertNull(digests.of(folder));
            assertEquals(sha256(jar), digests.of(jar), "the other jars are not affected");
            assertFalse(Files.readString(cache).contains("folder.jar"), Files.readString(cache));
            assertEquals(1, logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains("folder.jar cannot be read")).count(), "warned once, not per look");

            // Readable again (replaced by a real jar), then broken again: warned again.
            Files.delete(folder);
            Files.copy(jar, folder);
            assertEquals(sha256(jar), digests.of(folder));
            Files.delete(folder);
            Files.createDirectories(folder);
            assertNull(digests.of(folder));
            assertEquals(2, logged.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.WARN
                    && e.getFormattedMessage().contains("folder.jar cannot be read")).count());
        } finally {
            log.detachAppender(logged);
        }
    }

    @Test
    void aCallerWaitsForTheBackgroundComputationInsteadOfStartingASecond() throws Exception {
        Files.write(jar, new byte[20_000_000]);
        try (PluginDigests digests = new PluginDigests(cache)) {
            digests.prefetch(List.of(jar));
            assertEquals(sha256(jar), digests.of(jar));
            assertEquals(sha256(jar), digests.ready(List.of(jar)).thenApply(done -> digests.of(jar)).get(10, TimeUnit.SECONDS));
            assertEquals(1, digests.computed(), "one computation, whoever ran it");
        }
    }
}
