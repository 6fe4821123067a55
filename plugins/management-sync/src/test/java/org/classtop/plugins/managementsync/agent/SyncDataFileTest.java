package org.classtop.plugins.managementsync.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The courses and schedules sections read from the sync data file. */
class SyncDataFileTest {
    @TempDir
    Path agentData;

    final Map<String, String> settings = new HashMap<>();

    private SyncDataFile file() {
        PluginContext plugin = new PluginContext() {
            public String pluginId() {
                return "management-sync";
            }

            public String version() {
                return "test";
            }

            public Path dataDir() {
                return agentData.resolve("management-sync");
            }

            public Optional<String> config(String name) {
                return Optional.ofNullable(settings.get(name));
            }
        };
        AgentInfo agent = new AgentInfo() {
            public String clientUuid() {
                return "pc-1";
            }

            public URI serverUrl() {
                return URI.create("http://127.0.0.1:8000");
            }

            public Path dataDir() {
                return agentData;
            }

            public String agentVersion() {
                return "test";
            }
        };
        return new SyncDataFile(plugin, agent);
    }

    @Test
    void readsTheDefaultFileInTheAgentsDataFolder() throws Exception {
        assertEquals(null, new CoursesSync(file()).syncData(), "no file: nothing to say, the section is left out");
        Files.writeString(agentData.resolve(SyncDataFile.DEFAULT_NAME), """
                {"courses":[{"id":1,"name":"Maths","teacher":"Li"}],
                 "schedules":[{"course_id":1,"day_of_week":1,"start_time":"08:00","end_time":"08:45"}]}""");
        assertEquals(List.of(Map.of("id", 1, "name", "Maths", "teacher", "Li")), new CoursesSync(file()).syncData());
        assertEquals(List.of(Map.of("course_id", 1, "day_of_week", 1, "start_time", "08:00", "end_time", "08:45")),
                new SchedulesSync(file()).syncData());
    }

    @Test
    void theSettingNamesAnotherFileAndAMissingListIsLeftOut() throws Exception {
        Path elsewhere = agentData.resolve("exports").resolve("week.json");
        Files.createDirectories(elsewhere.getParent());
        Files.writeString(elsewhere, "{\"courses\":[{\"name\":\"Art\"}]}");
        settings.put("data-file", "exports/week.json");
        assertEquals(List.of(Map.of("name", "Art")), new CoursesSync(file()).syncData());
        assertEquals(null, new SchedulesSync(file()).syncData(), "no list: left out, not sent empty");
        settings.put("data-file", elsewhere.toString());
        assertEquals(List.of(Map.of("name", "Art")), new CoursesSync(file()).syncData());
    }

    @Test
    void aBrokenFileFailsTheSectionWithASentence() throws Exception {
        Path data = agentData.resolve(SyncDataFile.DEFAULT_NAME);
        Files.writeString(data, "{\"courses\": [");
        IOException notJson = assertThrows(IOException.class, () -> new CoursesSync(file()).syncData());
        assertTrue(notJson.getMessage().contains("is not JSON"), notJson.getMessage());
        Files.writeString(data, "[1,2]");
        assertTrue(assertThrows(IOException.class, () -> new CoursesSync(file()).syncData()).getMessage()
                .contains("must hold a JSON object"));
        Files.writeString(data, "{\"courses\":{\"id\":1}}");
        assertEquals("In the sync data file " + data + ", courses must be a list.",
                assertThrows(IOException.class, () -> new CoursesSync(file()).syncData()).getMessage());
    }

    @Test
    void anOversizedFileIsNotRead() throws Exception {
        Path data = agentData.resolve(SyncDataFile.DEFAULT_NAME);
        try (var channel = java.nio.channels.FileChannel.open(data, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {' '}), SyncDataFile.MAX_BYTES); // sparse: MAX + 1 bytes
        }
        assertTrue(assertThrows(IOException.class, () -> new CoursesSync(file()).syncData()).getMessage()
                .contains("more than " + SyncDataFile.MAX_BYTES));
    }
}
