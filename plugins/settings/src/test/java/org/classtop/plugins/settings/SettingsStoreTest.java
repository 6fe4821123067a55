package org.classtop.plugins.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("settings.json");
    }

    @Test
    void startsEmptyAndWritesNothingUntilAChange() {
        SettingsStore store = SettingsStore.atFile(file());
        assertEquals(Map.of(), store.all());
        assertEquals(Optional.empty(), store.get("theme"));
        assertTrue(Files.notExists(file()));
    }

    @Test
    void keepsSettingsAcrossInstances() throws IOException {
        SettingsStore first = SettingsStore.atFile(file());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("theme", "dark");
        values.put("volume", "80");
        assertEquals(List.of("theme", "volume"), first.putAll(values));

        SettingsStore second = SettingsStore.atFile(file());
        assertEquals(Map.of("theme", "dark", "volume", "80"), second.all());
        assertEquals(Optional.of("dark"), second.get("theme"));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file()), files.toList(), "no temp file left behind");
        }
    }

    @Test
    void reportsOnlyTheKeysThatChanged() {
        SettingsStore store = SettingsStore.atFile(file());
        store.putAll(Map.of("theme", "dark"));
        Map<String, String> values = new LinkedHashMap<>();
        values.put("theme", "dark");
        values.put("volume", "80");
        assertEquals(List.of("volume"), store.putAll(values));
        assertEquals(List.of(), store.putAll(Map.of("volume", "80")));
    }

    @Test
    void readsAHandWrittenFileAndTurnsNumbersIntoText() throws IOException {
        Files.writeString(file(), "{\"volume\": 80, \"muted\": false, \"theme\": \"dark\", \"bad\": {\"x\": 1}}");
        assertEquals(Map.of("volume", "80", "muted", "false", "theme", "dark"), SettingsStore.atFile(file()).all());
    }

    @Test
    void movesAnUnreadableFileAsideInsteadOfLosingIt() throws IOException {
        Files.writeString(file(), "{ not json");
        SettingsStore store = SettingsStore.atFile(file());
        assertEquals(Map.of(), store.all());
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> kept = files.toList();
            assertEquals(1, kept.size());
            assertTrue(kept.get(0).getFileName().toString().startsWith("settings.json.unreadable-"));
            assertEquals("{ not json", Files.readString(kept.get(0)));
        }
    }

    @Test
    void staysConsistentUnderConcurrentWriters() throws Exception {
        SettingsStore store = SettingsStore.atFile(file());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String key = "key-" + i;
                writes.add(pool.submit(() -> store.putAll(Map.of(key, "v"))));
            }
            for (Future<List<String>> write : writes) {
                assertEquals(1, write.get().size());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(40, SettingsStore.atFile(file()).all().size());
    }
}
