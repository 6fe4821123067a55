package org.classtop.plugins.settings;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/**
 * The agent side: the settings commands of SPEC section 5, the state section {@code settings} and the
 * {@code settings} section of the dual-mode sync to the management server.
 */
@Extension
public final class SettingsAgentPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        install(new SettingsModule());
        command("get_all_settings").description("Every setting of this client")
                .description("zh-CN", "读取此客户端的全部设置").read()
                .paramsExample("{}").to(GetAllSettingsCommand.class);
        command("get_setting").description("One setting").description("zh-CN", "读取一项设置").read()
                .paramsExample("{\"key\":\"theme\"}").to(GetSettingCommand.class);
        command("set_setting").description("Sets one setting; numbers and true/false are stored as text")
                .description("zh-CN", "修改一项设置；数字和 true/false 按文本保存")
                .paramsExample("{\"key\":\"theme\",\"value\":\"dark\"}").to(SetSettingCommand.class);
        command("update_settings_batch").description("Sets several settings at once")
                .description("zh-CN", "一次修改多项设置")
                .paramsExample("{\"settings\":{\"theme\":\"dark\",\"volume\":\"80\"}}").to(UpdateSettingsBatchCommand.class);
        command("delete_setting").description("Deletes one setting; answers whether it existed")
                .description("zh-CN", "删除一项设置；返回它是否存在")
                .paramsExample("{\"key\":\"theme\"}").to(DeleteSettingCommand.class);
        command("refresh_state").description("Sends the state to the server again and answers it")
                .description("zh-CN", "重新向服务器发送状态并返回它").read()
                .paramsExample("{}").to(RefreshStateCommand.class);
        state("settings", SettingsState.class);
        sync("settings", SettingsSync.class);
    }
}
