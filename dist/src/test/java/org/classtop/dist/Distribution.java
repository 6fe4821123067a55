package org.classtop.dist;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the end-to-end tests find the unpacked distribution that {@code package} built. */
final class Distribution {

    private Distribution() {
    }

    /** {@code dist/target/classtop}, as passed by failsafe in {@code classtop.dist.dir}. */
    static Path home() {
        String dir = System.getProperty("classtop.dist.dir");
        if (dir == null) {
            throw new IllegalStateException("system property classtop.dist.dir is not set: run the tests through"
                    + " failsafe (./mvnw -B verify), after the distribution is packaged");
        }
        Path home = Path.of(dir).toAbsolutePath();
        if (!Files.isDirectory(home)) {
            throw new IllegalStateException("no distribution at " + home + ": run ./mvnw -B package first");
        }
        return home;
    }

    /** A launcher in bin/: the POSIX script, or the .bat file on Windows. */
    static Path launcher(String name) {
        boolean windows = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).startsWith("windows");
        return home().resolve("bin").resolve(windows ? name + ".bat" : name);
    }
}
