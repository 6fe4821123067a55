package org.classtop.plugins.clustermonitor;

import static org.classtop.api.server.HttpMethod.DELETE;
import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.POST;
import static org.classtop.api.server.HttpMethod.PUT;

import org.classtop.api.SettingType;
import org.classtop.api.server.ServerPlugin;
import org.pf4j.Extension;

/**
 * The cluster monitor (server side only): watches the media servers of servers.json, answers the routes of
 * SPEC section 3 from its cache, restarts channels, keeps a restart history, and shows the "Media servers"
 * page.
 */
@Extension
public final class ClusterMonitorServerPlugin extends ServerPlugin {
    private static final String STATUS_EXAMPLE = "{\"server_id\":\"enc-1\",\"name\":\"Encoder 1\",\"state\":\"ok\","
            + "\"reachable\":true,\"healthy\":false,\"cpu\":37.5,\"channels_up\":1,\"channels_total\":2,"
            + "\"channels\":[{\"id\":\"ch1\",\"name\":\"Lecture hall\",\"state\":\"running\",\"up\":true},"
            + "{\"id\":\"ch2\",\"name\":\"Lab\",\"state\":\"stopped\",\"up\":false}],\"stale\":false,"
            + "\"last_poll_at\":\"2025-03-01T08:00:05Z\",\"last_answer_at\":\"2025-03-01T08:00:05Z\","
            + "\"last_poll_duration_ms\":12,\"last_error\":null,\"last_error_at\":null,\"consecutive_failures\":0,"
            + "\"state_since\":\"2025-03-01T07:00:00Z\",\"polls\":720}";
    private static final String SERVER_EXAMPLE = "{\"id\":\"enc-1\",\"name\":\"Encoder 1\",\"host\":\"192.168.2.172\","
            + "\"port\":8888,\"extra\":{},\"status\":" + STATUS_EXAMPLE + "}";
    private static final String RESTART_EXAMPLE = "{\"id\":\"6f1c…\",\"server_id\":\"enc-1\",\"server_name\":\"Encoder 1\","
            + "\"channel_id\":\"ch2\",\"trigger\":\"manual\",\"requested_by\":\"admin\","
            + "\"started_at\":\"2025-03-01T08:01:00Z\",\"finished_at\":\"2025-03-01T08:01:02Z\",\"duration_ms\":2100,"
            + "\"success\":true,\"failed_step\":null,\"stop_status\":200,\"start_status\":200,\"error_code\":null,"
            + "\"error\":null}";

    @Override
    protected void configure() {
        description("zh-CN", "在一个页面上查看所有媒体服务器（CPU、频道、错误），重启卡住的频道，也可以交给看门狗自动重启。");
        declareSettings();
        install(new ClusterMonitorModule());
        lifecycle(Poller.class);

        route(GET, "/api/servers")
                .summary("Media servers and their status")
                .description("Every server of servers.json with its cached status: state (pending, ok, error, timeout, "
                        + "unreachable), CPU, channels and their states, when it last answered, how long the last poll "
                        + "took and the last error. Answered from the cache, never waiting for a server. "
                        + "With ?history=true each status also carries its recent history.")
                .responseExample("[" + SERVER_EXAMPLE + "]")
                .to(ListServersRoute.class);
        route(POST, "/api/servers")
                .summary("Add a media server")
                .description("Adds a server to servers.json and polls it at once. id: 1 to 64 letters, digits, '.', '_' "
                        + "or '-'; name (default: the id); host: a host name or IP address; port: 1 to 65535. Other "
                        + "fields are kept as they are. 400 for a bad field, 409 SERVER_EXISTS for a taken id, 409 "
                        + "SERVERS_FILE_UNREADABLE while servers.json cannot be read.")
                .requestExample("{\"id\":\"enc-1\",\"name\":\"Encoder 1\",\"host\":\"192.168.2.172\",\"port\":8888}")
                .responseExample(SERVER_EXAMPLE)
                .to(AddServerRoute.class);
        route(GET, "/api/servers/restarts")
                .summary("Restart history")
                .description("Every channel restart, by a person or by the watchdog, and its outcome, newest first. "
                        + "Filters: server, channel, trigger (manual or watchdog); limit 1 to " + RestartLog.MAX_LIMIT
                        + " (default " + RestartHistoryRoute.DEFAULT_LIMIT + ").")
                .responseExample("[" + RESTART_EXAMPLE + "]")
                .to(RestartHistoryRoute.class);
        route(GET, "/api/servers/watchdog")
                .summary("Watchdog settings and activity")
                .description("Whether the watchdog is on, after how many polls reporting a channel down it restarts the "
                        + "channel, its cap per channel and hour, its restarts in the last hour and the channels it is "
                        + "counting.")
                .responseExample("{\"enabled\":true,\"down_polls\":3,\"max_restarts_per_hour\":3,\"restarts_this_hour\":1,"
                        + "\"channels\":[{\"server_id\":\"enc-1\",\"channel_id\":\"ch2\",\"consecutive_down_polls\":1,"
                        + "\"restarts_this_hour\":1,\"next_restart_allowed_at\":null}]}")
                .to(WatchdogRoute.class);
        route(GET, "/api/servers/config")
                .summary("Cluster monitor configuration")
                .description("The servers file (its path, whether it could be read and why not, entries skipped) and "
                        + "the poll, restart and watchdog settings in effect.")
                .to(MonitorConfigRoute.class);
        route(GET, "/api/servers/{id}")
                .summary("One media server")
                .description("The server's entry, its cached status and its recent history. 404 SERVER_NOT_FOUND.")
                .responseExample(SERVER_EXAMPLE)
                .to(GetServerRoute.class);
        route(PUT, "/api/servers/{id}")
                .summary("Change a media server")
                .description("Changes the given fields (name, host, port, other fields; null removes another field); "
                        + "the others keep their value. The id cannot change. A new host or port starts a fresh "
                        + "status. 404 SERVER_NOT_FOUND, 400 for a bad field.")
                .requestExample("{\"name\":\"Encoder 1 (hall)\",\"port\":8889}")
                .responseExample(SERVER_EXAMPLE)
                .to(UpdateServerRoute.class);
        route(DELETE, "/api/servers/{id}")
                .summary("Remove a media server")
                .description("Removes the server from servers.json and stops polling it; its restart history stays.")
                .responseExample("{\"id\":\"enc-1\",\"name\":\"Encoder 1\",\"host\":\"192.168.2.172\",\"port\":8888,"
                        + "\"removed\":true}")
                .to(RemoveServerRoute.class);
        route(GET, "/api/servers/{id}/status")
                .summary("Cached status of a media server")
                .description("The latest poll result: state, CPU, channels, last answer, poll duration, last error. "
                        + "Answered from the cache. 404 SERVER_NOT_FOUND.")
                .responseExample(STATUS_EXAMPLE)
                .to(ServerStatusRoute.class);
        route(GET, "/api/servers/{id}/history")
                .summary("Recent history of a media server")
                .description("The last " + ServerState.HISTORY_POINTS + " polls, oldest first: time, state, CPU and "
                        + "channels up of all (for a sparkline).")
                .responseExample("{\"server_id\":\"enc-1\",\"poll_interval_seconds\":5,\"max_points\":60,\"points\":"
                        + "[{\"at\":\"2025-03-01T08:00:05Z\",\"state\":\"ok\",\"cpu\":37.5,\"channels_up\":1,"
                        + "\"channels_total\":2}]}")
                .to(ServerHistoryRoute.class);
        route(POST, "/api/servers/{id}/channels/{channel_id}/restart")
                .summary("Restart a channel")
                .description("POSTs the stop path, then (only if the stop succeeded) the start path to the server, and "
                        + "records the attempt in the restart history. 404 SERVER_NOT_FOUND; 409 RESTART_IN_PROGRESS; "
                        + "502 UPSTREAM_FAILED (the sentence names the status the server answered), 502 "
                        + "UPSTREAM_UNREACHABLE, 504 UPSTREAM_TIMEOUT.")
                .responseExample(RESTART_EXAMPLE)
                .to(RestartChannelRoute.class);

        uiPanel("cluster-monitor")
                .script("static/cluster-monitor/panel.js")
                .element("classtop-cluster-monitor")
                .slot("page")
                .title("Media servers")
                .title("zh-CN", "媒体服务器")
                .register();
    }

    /** What an admin may change on the Plugins page (ClusterMonitorSettings reads them once: a change restarts it). */
    private void declareSettings() {
        setting("POLL_INTERVAL").type(SettingType.DURATION).defaultValue("5")
                .description("Time between two polls of a server: seconds (1.5) or a duration (500ms, 1m); 0.05 s to 1 day.")
                .description("zh-CN", "两次轮询同一台服务器的间隔：秒数（1.5）或时长（500ms、1m）。");
        setting("POLL_CONCURRENCY").type(SettingType.INT).defaultValue("4")
                .description("Status requests in flight at once, over all servers (1 to 1000).")
                .description("zh-CN", "所有服务器同时进行的状态请求数（1 到 1000）。");
        setting("POLL_TIMEOUT").type(SettingType.DURATION).defaultValue("3")
                .description("How long a status request may take, connect and answer (0.05 s to 1 h).")
                .description("zh-CN", "一次状态请求（连接和应答）最长的时间。");
        setting("RESTART_TIMEOUT").type(SettingType.DURATION).defaultValue("10")
                .description("How long the stop, and then the start, of a channel restart may take each.")
                .description("zh-CN", "重启频道时停止和启动各自最长的时间。");
        setting("STATUS_PATH").defaultValue("/status")
                .description("The path asked (GET) on each server for its status.")
                .description("zh-CN", "向每台服务器请求状态的路径（GET）。");
        setting("STOP_PATH").defaultValue("/channels/{channel_id}/stop")
                .description("The path POSTed to stop a channel; {channel_id} is replaced.")
                .description("zh-CN", "停止频道时 POST 的路径；{channel_id} 会被替换。");
        setting("START_PATH").defaultValue("/channels/{channel_id}/start")
                .description("The path POSTed to start a channel; {channel_id} is replaced.")
                .description("zh-CN", "启动频道时 POST 的路径；{channel_id} 会被替换。");
        setting("UP_STATES").defaultValue("running,up,ok,online,active")
                .description("Channel states that count as up, comma-separated (any case).")
                .description("zh-CN", "算作正常运行的频道状态，用逗号分隔（不区分大小写）。");
        setting("WATCHDOG_ENABLED").type(SettingType.BOOL).defaultValue("false")
                .description("Restart channels that stay down.")
                .description("zh-CN", "自动重启一直停止的频道。");
        setting("WATCHDOG_DOWN_POLLS").type(SettingType.INT).defaultValue("3")
                .description("Consecutive polls reporting a channel down before the watchdog restarts it (1 to 10000).")
                .description("zh-CN", "频道连续多少次轮询为停止后看门狗才重启它。");
        setting("WATCHDOG_MAX_RESTARTS_PER_HOUR").type(SettingType.INT).defaultValue("3")
                .description("Watchdog restarts per channel in any rolling hour (0 to 10000).")
                .description("zh-CN", "看门狗每个频道每小时最多重启的次数。");
    }
}
