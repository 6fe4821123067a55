package org.classtop.core.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
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

    @TempDir
    Path dataDir;

    @Test
    void everyCompletedWriteSurvivesAKill() throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path stderr = dataDir.resolve("child.err");
        Process child = new ProcessBuilder(java, "-Xmx256m", "-cp", classpath, DurabilityChild.class.getName(),
                dataDir.toString())
                .redirectError(stderr.toFile())
                .start();
        Thread watchdog = new Thread(() -> {
            try {
                if (!child.waitFor(120, TimeUnit.SECONDS)) child.destroyForcibly();
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }, "durability-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        List<String> lines = new ArrayList<>();
        try (Reader in = new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            boolean killed = false;
            int ch;
            while ((ch = in.read()) != -1) {
                if (ch != '\n') {
                    line.append((char) ch);
                    continue;
                }
                lines.add(line.toString());
                line.setLength(0);
                // kill mid-stream, once a good number of writes completed
                if (!killed && lines.size() >= 20_000) {
                    child.destroyForcibly();
                    killed = true;
                }
            }
            // a partial last line (no newline) is ignored: it was cut by the kill
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(lines.size() >= 20_000 && "READY".equals(lines.get(0)),
                "the child should print READY and 20000 ids; exit " + child.exitValue() + ", stderr: "
                        + Files.readString(stderr));

        Set<Long> printed = new HashSet<>();
        for (String l : lines.subList(1, lines.size())) {
            if (l.startsWith("ERROR")) fail("A write failed in the child: " + l);
            printed.add(Long.parseLong(l.trim()));
        }

        try (PlatformDatabase db = PlatformDatabase.open(dataDir, null)) {
            Set<Long> stored = new HashSet<>();
            try (Connection c = db.dataSource().getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id FROM durable")) {
                while (rs.next()) stored.add(rs.getLong(1));
            }
            Set<Long> lost = new HashSet<>(printed);
            lost.removeAll(stored);
            assertEquals(Set.of(), lost.size() > 20 ? Set.of("(" + lost.size() + " ids)") : lost,
                    "ids reported written but missing after the kill");
            assertTrue(stored.size() >= printed.size());
            System.out.printf("DurabilityTest: child killed after %d completed writes; %d rows on reopen, none lost%n",
                    printed.size(), stored.size());
        }
    }
}
