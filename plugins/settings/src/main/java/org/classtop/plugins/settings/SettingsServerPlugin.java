package org.classtop.plugins.settings;

import static org.classtop.api.server.HttpMethod.DELETE;
import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.POST;
import static org.classtop.api.server.HttpMethod.PUT;

import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/**
 * The server side: the settings routes of SPEC section 3, the settings tab of a client's page and the
 * "Change settings" action on a selection of clients.
 */
@Extension
public final class SettingsServerPlugin extends ServerPlugin {
    @Override
    protected void configure() {
        description("zh-CN", "读取和修改客户端电脑的设置，可以一台一台改，也可以多台一起改。");
        route(GET, "/api/settings/{uuid}")
                .summary("All settings of a client")
                .description("Asks the client's agent for every setting it keeps. Values are text, as the ClassTop "
                        + "client stores them.")
                .responseExample("{\"settings\":{\"theme\":\"dark\",\"volume\":\"80\"}}")
                .to(GetAllSettingsRoute.class);
        route(GET, "/api/settings/{uuid}/{key}")
                .summary("One setting of a client")
                .description("Asks the client's agent for one setting; an unknown key fails with COMMAND_FAILED "
                        + "and the agent's sentence.")
                .responseExample("{\"key\":\"theme\",\"value\":\"dark\"}")
                .to(GetSettingRoute.class);
        route(PUT, "/api/settings/{uuid}/{key}")
                .summary("Change one setting of a client")
                .description("Stores the value on the client. Text, numbers and true/false are accepted and stored "
                        + "as text; a JSON object, a list or null is refused.")
                .requestExample("{\"value\":\"dark\"}")
                .responseExample("{\"key\":\"theme\",\"value\":\"dark\"}")
                .to(PutSettingRoute.class);
        route(DELETE, "/api/settings/{uuid}/{key}")
                .summary("Delete one setting of a client")
                .description("Removes the setting on the client. A key the client does not have fails with 404 "
                        + "SETTING_NOT_FOUND; an offline client with 503 CLIENT_OFFLINE.")
                .responseExample("{\"key\":\"theme\",\"deleted\":true}")
                .to(DeleteSettingRoute.class);
        route(POST, "/api/settings/{uuid}/batch")
                .summary("Change several settings of a client")
                .description("Stores every value on the client at once: all are checked first, so either all "
                        + "are stored or none (at most " + SettingValues.MAX_BATCH_SIZE + ").")
                .requestExample("{\"settings\":{\"theme\":\"dark\",\"volume\":80}}")
                .responseExample("{\"updated\":[\"theme\",\"volume\"],\"settings\":{\"theme\":\"dark\",\"volume\":\"80\"}}")
                .to(BatchUpdateRoute.class);
        route(POST, "/api/settings/batch")
                .summary("Change settings on many clients")
                .description("Sends the same settings to every listed client at once and answers per client; "
                        + "a client that is offline or refuses fails alone (at most "
                        + MultiClientBatchRoute.MAX_CLIENTS + " clients).")
                .requestExample("{\"clients\":[\"3f2a-room-101\",\"77b1-room-102\"],\"settings\":{\"theme\":\"dark\"}}")
                .responseExample("{\"results\":{\"3f2a-room-101\":{\"success\":true,\"data\":{\"updated\":[\"theme\"],"
                        + "\"settings\":{\"theme\":\"dark\"}}},\"77b1-room-102\":{\"success\":false,"
                        + "\"error\":\"Client '77b1-room-102' is offline.\",\"code\":\"CLIENT_OFFLINE\"}},"
                        + "\"succeeded\":1,\"failed\":1}")
                .to(MultiClientBatchRoute.class);
        uiPanel("settings")
                .script("static/settings/panel.js")
                .element("classtop-settings-panel")
                .slot("client-detail")
                .title("Settings")
                .title("zh-CN", "设置")
                .whenClientHas("get_all_settings")
                .register();
        uiPanel("settings-batch")
                .script("static/settings/batch.js")
                .element("classtop-settings-batch")
                .slot("clients-batch")
                .title("Change settings")
                .title("zh-CN", "修改设置")
                .register();
    }
}
