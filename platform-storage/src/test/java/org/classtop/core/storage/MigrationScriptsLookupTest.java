package org.classtop.core.storage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which plugins skip Flyway at start: only those whose jar or folder certainly has no {@code db/<id>/}. */
class MigrationScriptsLookupTest {
    @TempDir
    Path dir;

    @Test
    void aJarWithoutDirectoryEntriesStillCountsItsScripts() throws IOException {
        Path jar = jar("with.jar", "db/notes/common/V1__notes.sql", "org/example/Plugin.class");
        try (URLClassLoader loader = loader(jar)) {
            assertTrue(Migrations.mayHoldScripts(loader, "notes"));
        }
    }

    @Test
    void aJarWithoutTheModulesFolderHasNone() throws IOException {
        // Another module's scripts and a look-alike prefix do not count.
        Path jar = jar("without.jar", "db/other/common/V1__x.sql", "db/notes-extra/common/V1__y.sql", "org/example/Plugin.class");
        try (URLClassLoader loader = loader(jar)) {
            assertFalse(Migrations.mayHoldScripts(loader, "notes"));
        }
    }

    @Test
    void anUnpackedFolderIsLookedAtToo() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        try (URLClassLoader loader = loader(classes)) {
            assertFalse(Migrations.mayHoldScripts(loader, "notes"));
        }
        Files.createDirectories(classes.resolve("db/notes/sqlite"));
        try (URLClassLoader loader = loader(classes)) {
            assertTrue(Migrations.mayHoldScripts(loader, "notes"));
        }
    }

    @Test
    void inDoubtFlywayLooks() throws IOException {
        Path notAJar = Files.writeString(dir.resolve("broken.jar"), "not a zip");
        try (URLClassLoader loader = loader(notAJar)) {
            assertTrue(Migrations.mayHoldScripts(loader, "notes"), "an unreadable jar");
        }
        assertTrue(Migrations.mayHoldScripts(ClassLoader.getPlatformClassLoader(), "notes"), "a loader that lists nothing");
    }

    private Path jar(String name, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new JarEntry(entry));
                out.write("-- x".getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static URLClassLoader loader(Path path) throws IOException {
        return new URLClassLoader(new URL[]{path.toUri().toURL()}, null);
    }
}
