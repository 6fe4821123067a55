package org.classtop.plugins.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.testing.AgentFixtures;
import org.classtop.testing.AgentFixtures.Emitted;
import org.classtop.testing.AgentFixtures.RecordingAgentContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent-side commands, wired by hand around a store in a temp folder. */
class SettingsCommandsTest {
    @TempDir
    Path dir;

    RecordingAgentContext agent;
    SettingsStore store;
    SettingsChanges changes;

    @BeforeEach
    void wire() {
        agent = new RecordingAgentContext();
        store = SettingsStore.atFile(dir.resolve("settings.json"));
        changes = new SettingsChanges(agent);
    }

    private static Object run(CommandHandler handler, String command, Map<String, Object> params) throws Exception {
        return handler.handle(AgentFixtures.request(command, params));
    }

    private static String refusal(CommandHandler handler, String command, Map<String, Object> params) {
        return assertThrows(CommandException.class, () -> run(handler, command, params)).getMessage();
    }

    @Test
    void setsAndReadsOneSetting() throws Exception {
        assertEquals(Map.of("key", "volume", "value", "80"),
                run(new SetSettingCommand(store, changes), "set_setting", Map.of("key", "volume", "value", 80)));
        assertEquals(Map.of("key", "volume", "value", "80"),
                run(new GetSettingCommand(store), "get_setting", Map.of("key", "volume")));
        assertEquals(Map.of("settings", Map.of("volume", "80")),
                run(new GetAllSettingsCommand(store), "get_all_settings", Map.of()));

        assertEquals(1, agent.stateChanges());
        assertEquals(List.of(new Emitted("changed", Map.of("keys", List.of("volume")))), agent.events());
    }

    @Test
    void settingTheSameValueAgainReportsNothing() throws Exception {
        SetSettingCommand set = new SetSettingCommand(store, changes);
        run(set, "set_setting", Map.of("key", "theme", "value", "dark"));
        run(set, "set_setting", Map.of("key", "theme", "value", "dark"));
        assertEquals(1, agent.events().size());
    }

    @Test
    void answersWithSentences() {
        assertEquals("Setting 'nope' does not exist.",
                refusal(new GetSettingCommand(store), "get_setting", Map.of("key", "nope")));
        assertEquals("Command 'get_setting' needs the parameter 'key'.",
                refusal(new GetSettingCommand(store), "get_setting", Map.of()));
        SetSettingCommand set = new SetSettingCommand(store, changes);
        assertEquals("Command 'set_setting' needs the parameter 'value'.",
                refusal(set, "set_setting", Map.of("key", "theme")));
        Map<String, Object> nullValue = new HashMap<>();
        nullValue.put("key", "theme");
        nullValue.put("value", null);
        assertEquals("The value of setting 'theme' must be text, a number or true/false, not null.",
                refusal(set, "set_setting", nullValue));
        assertEquals("The value of setting 'theme' must be text, a number or true/false, not a JSON object.",
                refusal(set, "set_setting", Map.of("key", "theme", "value", Map.of())));
        assertEquals(0, agent.events().size());
    }

    @Test
    void updatesABatchAllOrNothing() throws Exception {
        UpdateSettingsBatchCommand batch = new UpdateSettingsBatchCommand(store, changes);
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("theme", "dark");
        settings.put("volume", 80);
        assertEquals(Map.of("updated", List.of("theme", "volume"), "settings", Map.of("theme", "dark", "volume", "80")),
                run(batch, "update_settings_batch", Map.of("settings", settings)));
        assertEquals(List.of(new Emitted("changed", Map.of("keys", List.of("theme", "volume")))),
                agent.events());

        Map<String, Object> half = new LinkedHashMap<>();
        half.put("theme", "light");
        half.put("broken", List.of(1));
        assertEquals("The value of setting 'broken' must be text, a number or true/false, not a list.",
                refusal(batch, "update_settings_batch", Map.of("settings", half)));
        assertEquals("dark", store.get("theme").orElseThrow(), "nothing of a refused batch is stored");
        assertEquals("Command 'update_settings_batch' needs the parameter 'settings'.",
                refusal(batch, "update_settings_batch", Map.of()));
    }

    @Test
    void deletesOneSettingAndSaysWhenThereWasNone() throws Exception {
        store.putAll(Map.of("theme", "dark", "volume", "80"));
        DeleteSettingCommand delete = new DeleteSettingCommand(store, changes);
        assertEquals(Map.of("key", "theme", "deleted", true), run(delete, "delete_setting", Map.of("key", "theme")));
        assertEquals(Map.of("volume", "80"), store.all());
        assertEquals(Map.of("volume", "80"), SettingsStore.atFile(dir.resolve("settings.json")).all(), "written to disk");
        assertEquals(List.of(new Emitted("changed", Map.of("keys", List.of("theme")))), agent.events());

        assertEquals(Map.of("key", "theme", "deleted", false), run(delete, "delete_setting", Map.of("key", "theme")));
        assertEquals(1, agent.events().size(), "deleting a missing key changes nothing");
        assertEquals("Command 'delete_setting' needs the parameter 'key'.", refusal(delete, "delete_setting", Map.of()));
    }

    @Test
    void refreshPushesTheStateAndAnswersIt() throws Exception {
        store.putAll(Map.of("theme", "dark"));
        assertEquals(Map.of("settings", Map.of("theme", "dark")),
                run(new RefreshStateCommand(store, changes), "refresh_state", Map.of()));
        assertEquals(1, agent.stateChanges());
        assertEquals(Map.of("theme", "dark"), new SettingsState(store).currentState());
    }

    @Test
    void theSyncSectionIsEverySettingAsText() throws Exception {
        SettingsSync sync = new SettingsSync(store);
        assertEquals(Map.of(), sync.syncData());
        run(new SetSettingCommand(store, changes), "set_setting", Map.of("key", "volume", "value", 80));
        assertEquals(Map.of("volume", "80"), sync.syncData());
    }
}
