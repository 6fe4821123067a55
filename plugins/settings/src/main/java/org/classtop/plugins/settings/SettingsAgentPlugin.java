package org.classtop.plugins.settings;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/** The agent side: the settings commands of SPEC section 5 and the state section {@code settings}. */
@Extension
public final class SettingsAgentPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        install(new SettingsModule());
        command("get_all_settings").description("Every setting of this client")
                .paramsExample("{}").to(GetAllSettingsCommand.class);
        command("get_setting").description("One setting")
                .paramsExample("{\"key\":\"theme\"}").to(GetSettingCommand.class);
        command("set_setting").description("Sets one setting; numbers and true/false are stored as text")
                .paramsExample("{\"key\":\"theme\",\"value\":\"dark\"}").to(SetSettingCommand.class);
        command("update_settings_batch").description("Sets several settings at once")
                .paramsExample("{\"settings\":{\"theme\":\"dark\",\"volume\":\"80\"}}").to(UpdateSettingsBatchCommand.class);
        command("delete_setting").description("Deletes one setting; answers whether it existed")
                .paramsExample("{\"key\":\"theme\"}").to(DeleteSettingCommand.class);
        command("refresh_state").description("Sends the state to the server again and answers it")
                .paramsExample("{}").to(RefreshStateCommand.class);
        state("settings", SettingsState.class);
    }
}
