package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * The class-data archive (AppCDS) of {@code bin/classtop-lms}: the one made by the build is used by the built
 * distribution; a copy moved elsewhere, or a Java the archive was not made with, still starts and says nothing about
 * it; {@code --make-cds-archive} makes a fitting one for a moved copy.
 */
@EnabledOnOs(OS.LINUX)
class ClassDataSharingIT {
    private static final String SHARED = "source: shared objects file";
    private static final String SERVER_CLASS = "org.classtop.core.ClassTopServer ";

    @TempDir
    Path work;

    @Test
    void theBuiltDistributionStartsFromItsArchive() throws Exception {
        assertTrue(Files.size(Distribution.home().resolve("lib/classtop-lms.jsa")) > 0, "the build made lib/classtop-lms.jsa");
        // -Xshare:on: the JVM refuses to start if it cannot map the archive.
        String classLog = startAndReadClassLog(Distribution.launcher("classtop-lms"), "-Xshare:on", Map.of());
        assertTrue(classLog.lines().anyMatch(line -> line.contains(SERVER_CLASS) && line.contains(SHARED)),
                "the server's own classes come from the archive");
    }

    @Test
    void aMovedCopyStartsSilentlyAndMakesItsOwnArchive() throws Exception {
        Path copy = copyOfDistribution(work.resolve("moved"));
        assertTrue(Files.exists(copy.resolve("lib/classtop-lms.jsa")), "the copy carries the archive made for the build folder");
        String classLog = startAndReadClassLog(copy.resolve("bin/classtop-lms"), "", Map.of());
        assertFalse(classLog.lines().anyMatch(line -> line.contains(SERVER_CLASS) && line.contains(SHARED)),
                "an archive made for another folder is not used");

        try (LaunchedProcess make = LaunchedProcess.start(copy.resolve("bin/classtop-lms"), List.of("--make-cds-archive"),
                Map.of(), work)) {
            assertEquals(0, make.awaitExit(Duration.ofMinutes(3)), "--make-cds-archive" + make.describe());
        }
        String remade = startAndReadClassLog(copy.resolve("bin/classtop-lms"), "-Xshare:on", Map.of());
        assertTrue(remade.lines().anyMatch(line -> line.contains(SERVER_CLASS) && line.contains(SHARED)),
                "the remade archive is used");
    }

    @Test
    void aJavaTheArchiveWasNotMadeWithStillStartsSilently() throws Exception {
        // Another installed Java next to this one if there is one; else this Java with a setting the archive
        // cannot serve (it was dumped with compressed object pointers).
        Optional<Path> otherJava = otherJavaHome();
        Map<String, String> env = otherJava.map(home -> Map.of("JAVA_HOME", home.toString())).orElse(Map.of());
        String options = otherJava.isPresent() ? "" : "-XX:-UseCompressedOops";
        String classLog = startAndReadClassLog(Distribution.launcher("classtop-lms"), options, env);
        assertFalse(classLog.lines().anyMatch(line -> line.contains(SERVER_CLASS) && line.contains(SHARED)),
                "the archive is not used by " + otherJava.map(Path::toString).orElse("this Java with " + options));
    }

    /**
     * Starts the server with {@code javaOptions} and a class-loading log, checks that it starts, prints the listening
     * line first and no JVM warning, and logs its start phases; answers the class-loading log.
     */
    private String startAndReadClassLog(Path launcher, String javaOptions, Map<String, String> env) throws IOException {
        Path classLog = Files.createTempFile(work, "classes", ".log");
        Map<String, String> environment = new java.util.HashMap<>(env);
        environment.put("CLASSTOP_JAVA_OPTS", javaOptions + " -Xlog:class+load=info:file=" + classLog
                + " -Dclasstop.log.dir=" + work.resolve("logs"));
        environment.put("CLASSTOP_ADMIN_TOKEN", LmsServer.randomToken());
        Path data = Files.createTempDirectory(work, "data");
        try (LaunchedProcess server = LaunchedProcess.start(launcher,
                List.of("--port", "0", "--bind", "127.0.0.1", "--data", data.toString()), environment, work)) {
            server.awaitStdoutLine(LmsServer.READY, LmsServer.START_TIMEOUT);
            assertTrue(LmsServer.READY.matcher(server.stdout().lines().filter(line -> !line.isBlank())
                            .filter(line -> !isAdminPasswordBanner(line)).findFirst().orElse("")).matches(),
                    "nothing before the listening line on stdout" + server.describe());
            String stderr = server.stderr();
            assertFalse(stderr.contains("[cds") || stderr.contains("shared archive") || stderr.contains("VM warning"),
                    "no word about the archive" + server.describe());
            assertTrue(stderr.contains("ClassTop LMS started in "), "the start phases are logged" + server.describe());
            int exit = server.stop(Duration.ofSeconds(30));
            assertTrue(exit == 0 || exit == 143, "a clean stop, exit " + exit + server.describe());
        }
        return Files.readString(classLog);
    }

    /** The first start's admin password banner (stderr, once stored, after listening): never counted as stdout's first line. */
    private static boolean isAdminPasswordBanner(String line) {
        return line.startsWith("=====") || line.startsWith(" ");
    }

    private static Path copyOfDistribution(Path target) throws IOException {
        Path home = Distribution.home();
        for (String dir : List.of("bin", "conf", "lib", "plugins")) {
            try (Stream<Path> files = Files.walk(home.resolve(dir))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path to = target.resolve(home.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES);
                    }
                }
            }
        }
        return target;
    }

    /** The feature version in a Java's {@code release} file (JAVA_VERSION="25.0.3"), 0 if unknown. */
    private static int javaVersion(Path home) {
        try {
            return Files.readAllLines(home.resolve("release")).stream()
                    .filter(line -> line.startsWith("JAVA_VERSION=\""))
                    .map(line -> line.substring("JAVA_VERSION=\"".length()).split("[.\"]")[0])
                    .mapToInt(Integer::parseInt).findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A Java installed next to the one running this test (e.g. another JDK under the same folder), if any. */
    private static Optional<Path> otherJavaHome() {
        try {
            Path thisJava = Path.of(System.getProperty("java.home"), "bin/java").toRealPath();
            Path parent = Path.of(System.getProperty("java.home")).toRealPath().getParent();
            try (Stream<Path> homes = Files.list(parent)) {
                return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")) && javaVersion(home) >= 17)
                        .filter(home -> {
                            try {
                                return !home.resolve("bin/java").toRealPath().equals(thisJava);
                            } catch (IOException e) {
                                return false;
                            }
                        })
                        .sorted()
                        .findFirst();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
