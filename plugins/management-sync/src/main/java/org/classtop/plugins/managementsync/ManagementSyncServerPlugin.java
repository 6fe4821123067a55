package org.classtop.plugins.managementsync;

import static org.classtop.api.server.HttpMethod.DELETE;
import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.POST;

import org.classtop.api.server.ServerPlugin;
import org.classtop.plugins.managementsync.centre.CentreLifecycle;
import org.classtop.plugins.managementsync.centre.CentreModule;
import org.classtop.plugins.managementsync.centre.CentreRoutes;
import org.classtop.plugins.managementsync.centre.LmsConnections;
import org.classtop.plugins.managementsync.centre.Principals;
import org.classtop.plugins.managementsync.site.SiteBindings;
import org.pf4j.Extension;

/**
 * Server side of management-sync. One jar, two roles: the centre part ({@code centre} package) works when the
 * server runs with {@code --role management} and is inert on an LMS (its routes answer 404
 * {@code NOT_A_MANAGEMENT_SERVER}, its lifecycle does nothing, LMS connections are refused); the site part
 * ({@code site} package) is the LMS side.
 */
@Extension
public final class ManagementSyncServerPlugin extends ServerPlugin {
    private static final String SITE_EXAMPLE = "{\"lms_id\":\"5d0c…\",\"lms_uuid\":\"lms-north\",\"name\":\"North campus\","
            + "\"host\":\"10.1.0.5\",\"port\":8000,\"version\":\"0.1.0\",\"status\":\"online\",\"last_heartbeat\":"
            + "\"2026-12-03T08:00:00Z\",\"heartbeat_interval\":30,\"client_count\":50,\"online_count\":48,\"outbox\":0,"
            + "\"connected\":true,\"registered_at\":\"2026-12-01T08:00:00Z\"}";
    private static final String CLIENT_EXAMPLE = "{\"uuid\":\"pc-101\",\"name\":\"Room 101\",\"status\":\"online\","
            + "\"reported_status\":\"online\",\"lms_id\":\"5d0c…\",\"lms_name\":\"North campus\",\"site_status\":\"online\","
            + "\"api_url\":null,\"has_client_key\":false,\"first_seen\":\"2026-12-01T08:00:00Z\",\"last_sync\":null,\"via\":\"lms\"}";

    @Override
    protected void configure() {
        description("zh-CN", "多站点：LMS 向中央管理服务器注册、发送心跳并同步客户端数据；中央服务器查看所有站点并可控制任意客户端。");
        centre();
        // The site part (LMS side): registration, heartbeats, the outbox and the relay to this LMS's agents.
        SiteBindings.declare(this::route, this::uiPanel, this::listen, this::lifecycle, this::install);
    }

    /** The centre part: SPEC section 3 "Management role", the management UI's reads and the LMS connection hook. */
    private void centre() {
        install(new CentreModule());
        lifecycle(CentreLifecycle.class);
        agentAuthenticator("lms").to(LmsConnections.class);

        route(POST, "/api/lms/register")
                .summary("Register an LMS")
                .description("Bearer: the centre's admin token or API token (admin), or an enrolment token it issued; none "
                        + "needed in open enrolment. Re-registering a known lms_uuid keeps its lms_id and issues a new "
                        + "api_key (the old one stops working). The api_key is shown once. Fields: lms_uuid (1-64 of "
                        + "A-Z a-z 0-9 . _ -), name (1-128), host?, port? (1-65535), version? (64). 409 LMS_LIMIT beyond "
                        + "management-sync.MAX_LMS.")
                .requestExample("{\"lms_uuid\":\"lms-north\",\"name\":\"North campus\",\"host\":\"10.1.0.5\",\"port\":8000,\"version\":\"0.1.0\"}")
                .responseExample("{\"lms_id\":\"5d0c…\",\"api_key\":\"ctl_…\",\"new\":true}")
                .authenticatedBy(Principals.MachineKeys.class)
                .to(CentreRoutes.Register.class);
        route(POST, "/api/lms/heartbeat")
                .summary("Heartbeat of an LMS")
                .description("Bearer: the LMS's api_key (401 INVALID_API_KEY for a wrong or replaced key, 403 for another "
                        + "LMS's). clients: at most management-sync.MAX_CLIENTS_PER_HEARTBEAT (10,000) entries of {uuid, "
                        + "name?, status?}; the body at most 1 MiB. outbox?, seq? (a heartbeat with a seq not above the last "
                        + "applied one is a replay: answered, not applied), interval? (seconds, 1-3600, default 30). An LMS "
                        + "is offline after management-sync.OFFLINE_AFTER_INTERVALS (3) intervals without one. 409 "
                        + "CLIENT_LIMIT when the LMS would hold more than management-sync.MAX_CLIENTS_PER_LMS clients.")
                .requestExample("{\"lms_uuid\":\"lms-north\",\"client_count\":2,\"clients\":[{\"uuid\":\"pc-101\",\"name\":\"Room 101\","
                        + "\"status\":\"online\"},{\"uuid\":\"pc-102\",\"name\":\"Room 102\",\"status\":\"offline\"}],\"outbox\":0,\"seq\":42}")
                .responseExample("{\"applied\":true,\"changed_clients\":2,\"offline_after_seconds\":90}")
                .authenticatedBy(Principals.MachineKeys.class)
                .to(CentreRoutes.Heartbeat.class);
        route(GET, "/api/lms")
                .summary("Every LMS")
                .description("Status (online/offline from heartbeats), last heartbeat, client counts, version, outbox size "
                        + "when reported, and whether its command WebSocket is connected. Never an api_key.")
                .responseExample("[" + SITE_EXAMPLE + "]")
                .to(CentreRoutes.ListSites.class);
        route(GET, "/api/lms/{lms_id}")
                .summary("One LMS and its latest heartbeats")
                .description("?heartbeats=N (1-500, default 20) of its kept heartbeat history. 404 LMS_NOT_FOUND.")
                .responseExample(SITE_EXAMPLE)
                .to(CentreRoutes.GetSite.class);
        route(GET, "/api/lms/{lms_id}/clients")
                .summary("The clients an LMS holds")
                .description("As its heartbeats report them. 404 LMS_NOT_FOUND.")
                .responseExample("[" + CLIENT_EXAMPLE + "]")
                .to(CentreRoutes.SiteClients.class);
        route(DELETE, "/api/lms/{lms_id}")
                .summary("Remove an LMS")
                .description("Removes the LMS, its key and heartbeat history; its clients stay known, held by no LMS. "
                        + "404 LMS_NOT_FOUND.")
                .to(CentreRoutes.DeleteSite.class);
        route(POST, "/api/lms/{lms_id}/rotate-key")
                .summary("Give an LMS a new API key")
                .description("The new api_key is shown once; the old one stops working at once. 404 LMS_NOT_FOUND.")
                .responseExample("{\"lms_id\":\"5d0c…\",\"api_key\":\"ctl_…\"}")
                .to(CentreRoutes.RotateKey.class);
        route(POST, "/api/clients/register")
                .summary("Register a client with the centre")
                .description("With an LMS api_key: a client of that LMS. With an enrolment token (or none in open "
                        + "enrolment) or as an admin: answers a client_key, shown once, for /api/sync (409 "
                        + "CLIENT_ALREADY_REGISTERED when the client holds one, unless an admin registers it). With a "
                        + "client_key: only that client (403 otherwise).")
                .requestExample("{\"uuid\":\"pc-101\",\"name\":\"Room 101\",\"api_url\":\"http://10.1.0.101:1420\"}")
                .responseExample("{\"uuid\":\"pc-101\",\"lms_id\":null,\"client_key\":\"ctk_…\"}")
                .authenticatedBy(Principals.MachineKeys.class)
                .to(CentreRoutes.RegisterClient.class);
        route(POST, "/api/sync")
                .summary("Sync a client's courses, schedules, settings and CCTV")
                .description("Bearer: the api_key of the LMS that holds the client, the client's own client_key, or an "
                        + "admin. Idempotent: the same sync_id, or the same content and timestamp, is stored once "
                        + "(answered with applied:false, duplicate:true). courses (at most 5,000) and schedules (20,000) "
                        + "replace the client's previous ones; settings (2,000 keys); cctv: {cameras:[{camera_id, name?, "
                        + "source?, recording?, streaming?}] (200), events:[{event_type, camera_id?, details?, at?}] (1,000)}.")
                .requestExample("{\"client_uuid\":\"pc-101\",\"sync_id\":\"pc-101:17\",\"timestamp\":\"2026-12-03T08:00:00Z\","
                        + "\"courses\":[{\"id\":1,\"name\":\"Maths\"}],\"schedules\":[{\"id\":1,\"course_id\":1,\"day\":1,"
                        + "\"start\":\"08:00\",\"end\":\"08:45\"}],\"settings\":{\"theme\":\"dark\"}}")
                .responseExample("{\"applied\":true,\"duplicate\":false,\"sync_key\":\"id:pc-101:17\",\"courses\":1,\"schedules\":1}")
                .authenticatedBy(Principals.MachineKeys.class)
                .to(CentreRoutes.Sync.class);
        route(POST, "/api/control/command")
                .summary("Send a command to any client")
                .description("A client connected to this centre's /ws is reached directly; any other through the LMS that "
                        + "holds it (lms_relay over that LMS's WebSocket, same request_id). timeout 1-595 s (default 30). "
                        + "404 CLIENT_NOT_FOUND (unknown here or to its LMS), 503 LMS_OFFLINE or CLIENT_OFFLINE, 504 "
                        + "COMMAND_TIMEOUT, 502 COMMAND_FAILED with the client's sentence, 409 REQUEST_ID_IN_USE.")
                .requestExample("{\"target_client\":\"pc-101\",\"request_id\":\"req-1\",\"command\":\"get_setting\","
                        + "\"params\":{\"key\":\"theme\"},\"timeout\":10}")
                .responseExample("{\"key\":\"theme\",\"value\":\"dark\"}")
                .to(CentreRoutes.Command.class);
        route(GET, "/api/management/clients")
                .summary("Clients of every site, merged")
                .description("Every client held by an LMS or connected to the centre directly. q searches name, uuid and "
                        + "site name; lms_id and status filter; limit 1-1000 (default 100), offset.")
                .responseExample("{\"total\":1,\"offset\":0,\"limit\":100,\"items\":[" + CLIENT_EXAMPLE + "]}")
                .to(CentreRoutes.MergedClients.class);
        route(GET, "/api/management/clients/{uuid}")
                .summary("One client across sites")
                .description("The client, its site, and what it synced: courses, schedules, settings, cameras, the latest "
                        + "CCTV events and syncs. 404 CLIENT_NOT_FOUND.")
                .to(CentreRoutes.ClientDetail.class);
        route(GET, "/api/management/stats")
                .summary("Centre counters")
                .description("LMS and clients known, heartbeats and syncs applied (and replays), database rows written.")
                .to(CentreRoutes.Stats.class);

        uiPanel("sites")
                .script("static/management-sync/sites.js")
                .element("management-sync-sites")
                .slot("page")
                .title("Sites")
                .title("zh-CN", "站点")
                .register();
    }
}
