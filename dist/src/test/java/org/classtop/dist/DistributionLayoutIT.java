package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** The tree that SPEC section 2 promises at dist/target/classtop/. */
class DistributionLayoutIT {

    private final Path home = Distribution.home();

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void launchersAreExecutableShellScripts() throws IOException {
        for (String name : List.of("classtop-lms", "classtop-agent")) {
            Path script = home.resolve("bin").resolve(name);
            assertTrue(Files.isRegularFile(script), script + " exists");
            assertTrue(Files.isExecutable(script), script + " is executable");
            String text = Files.readString(script, StandardCharsets.UTF_8);
            assertTrue(text.startsWith("#!/bin/sh\n"), script + " is a POSIX sh script with LF line ends");
            assertFalse(text.contains("\r"), script + " has no CR");
        }
    }

    @Test
    void windowsLaunchersExist() throws IOException {
        for (String name : List.of("classtop-lms.bat", "classtop-agent.bat")) {
            Path bat = home.resolve("bin").resolve(name);
            assertTrue(Files.isRegularFile(bat), bat + " exists");
            assertTrue(Files.readString(bat, StandardCharsets.UTF_8).contains("\r\n"), bat + " has CRLF line ends");
        }
    }

    @Test
    void libHoldsTheServerAndTheAgent() throws IOException {
        List<String> jars = fileNames(home.resolve("lib"));
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("classtop-platform-core-")), "core jar in lib/: " + jars);
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("classtop-agent-")), "agent jar in lib/: " + jars);
        assertTrue(jars.stream().anyMatch(n -> n.startsWith("classtop-plugin-api-")), "plugin API in lib/: " + jars);
        assertFalse(jars.stream().anyMatch(n -> n.startsWith("settings-")), "no plugin in lib/: " + jars);
        assertFalse(jars.stream().anyMatch(n -> n.startsWith("junit-")), "no test library in lib/: " + jars);
    }

    @Test
    void settingsIsABundledPf4jPlugin() throws IOException {
        List<String> plugins = fileNames(home.resolve("plugins"));
        Path jar = plugins.stream().filter(n -> n.matches("settings-.*\\.jar")).findFirst()
                .map(home.resolve("plugins")::resolve).orElse(null);
        assertNotNull(jar, "plugins/settings-*.jar: " + plugins);
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertNotNull(manifest, jar + " has a MANIFEST");
            assertEquals("settings", manifest.getMainAttributes().getValue("Plugin-Id"), "Plugin-Id of " + jar);
            assertNotNull(manifest.getMainAttributes().getValue("Plugin-Version"), "Plugin-Version of " + jar);
            ZipEntry index = file.getEntry("META-INF/extensions.idx");
            assertNotNull(index, jar + " has META-INF/extensions.idx (the PF4J annotation processor ran)");
            try (InputStream in = file.getInputStream(index)) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(text.lines().anyMatch(l -> !l.isBlank() && !l.startsWith("#")),
                        jar + " declares at least one extension");
            }
        }
    }

    @Test
    void confHoldsTheSamples() {
        for (String name : List.of("classtop.properties", "agent.properties", "logback.xml")) {
            assertTrue(Files.isRegularFile(home.resolve("conf").resolve(name)), "conf/" + name);
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        assertTrue(Files.isDirectory(dir), dir + " exists");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
