package org.classtop.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write whose stage completed survives the process being killed: a child JVM writes rows and
 * prints each id once its stage completed; it is killed (SIGKILL) mid-stream; every printed id must
 * be in the database when it is opened again.
 */
class DurabilityTest {

    private static final int KILL_AFTER = 20_000;

    @TempDir
    Path dataDir;

    @Test
    void everyCompletedWriteSurvivesAKill() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stdout = dataDir.resolve("child.out");
        Path stderr = dataDir.resolve("child.err");
        Path db = Files.createDirectories(dataDir.resolve("db"));
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, DurabilityChild.class.getName(),
                db.toString())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (completeLines(stdout) < KILL_AFTER + 1) {
                if (!child.isAlive()) fail("The child exited early (" + child.exitValue() + "): " + Files.readString(stderr));
                if (System.nanoTime() > deadline) fail("The child did not complete " + KILL_AFTER + " writes in time");
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly(); // SIGKILL, while it is writing
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }

        // Only newline-terminated lines count: a last partial line was cut by the kill.
        String out = Files.readString(stdout, StandardCharsets.UTF_8);
        List<String> lines = List.of(out.substring(0, out.lastIndexOf('\n')).split("\n"));
        assertEquals("READY", lines.get(0));
        Set<Long> printed = new HashSet<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.startsWith("ERROR")) fail("A write failed in the child: " + l);
            printed.add(Long.parseLong(l.trim()));
        }
        assertTrue(printed.size() >= KILL_AFTER);

        try (PlatformDatabase reopened = PlatformDatabase.open(db, null)) {
            Set<Long> stored = new HashSet<>();
            try (Connection c = reopened.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id FROM durable")) {
                while (rs.next()) stored.add(rs.getLong(1));
            }
            Set<Long> lost = new HashSet<>(printed);
            lost.removeAll(stored);
            assertTrue(lost.isEmpty(), lost.size() + " ids were reported written but are missing after the kill, e.g. "
                    + lost.stream().limit(10).toList());
            assertTrue(stored.size() >= printed.size());
            System.out.printf("DurabilityTest: child killed after %,d completed writes; %,d rows after reopening,"
                    + " none lost%n", printed.size(), stored.size());
        }
    }

    private static long completeLines(Path file) throws IOException {
        if (!Files.exists(file)) return 0;
        long n = 0;
        for (byte b : Files.readAllBytes(file)) if (b == '\n') n++;
        return n;
    }
}
