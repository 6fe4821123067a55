package org.classtop.core.routes;

import static org.classtop.api.server.HttpMethod.DELETE;
import static org.classtop.api.server.HttpMethod.GET;
import static org.classtop.api.server.HttpMethod.PATCH;
import static org.classtop.api.server.HttpMethod.POST;
import static org.classtop.api.server.HttpMethod.PUT;

import org.classtop.api.server.Role;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.live.LiveFeed;

/** The platform's own REST routes, declared the same way a plugin declares its own (plugin id {@code core}). */
public final class CorePlugin extends ServerPlugin {
    public static final String ID = "core";

    @Override
    protected void configure() {
        route(GET, "/api/clients/").summary("All known clients")
                .description("Every client the server knows, connected or not, with its latest reported state.")
                .to(ClientRoutes.ListAll.class);
        route(GET, "/api/clients/online").summary("Connected clients").to(ClientRoutes.ListOnline.class);
        route(GET, "/api/clients/pending").summary("Clients waiting for approval")
                .description("Agents that connected in 'approve' enrolment mode and take no commands until approved.")
                .to(ClientRoutes.ListPending.class);
        route(GET, "/api/clients/{uuid}").summary("One client").to(ClientRoutes.GetOne.class);
        route(DELETE, "/api/clients/{uuid}").summary("Forget an offline client")
                .description("Removes the client from the list; its history stays. A connected client gives 409.")
                .to(ClientRoutes.Forget.class);
        route(POST, "/api/clients/{uuid}/command").summary("Run a command on a client")
                .description("Sends the command to the client's agent and answers with the agent's data. Errors: 404 unknown "
                        + "client, 409 pending approval, 503 offline, 504 no answer within 'timeout' seconds (default 30), "
                        + "502 COMMAND_FAILED with the agent's sentence.")
                .requestExample("{\"command\":\"get_setting\",\"params\":{\"key\":\"theme\"},\"timeout\":10}")
                .to(ClientRoutes.SendCommand.class);
        route(GET, "/api/clients/{uuid}/connections").summary("A client's connection history")
                .to(ClientRoutes.Connections.class);
        route(POST, "/api/clients/{uuid}/approve").summary("Approve a pending client")
                .description("The agent is told at once and receives its own credential.").to(ClientRoutes.Approve.class);
        route(POST, "/api/clients/{uuid}/reject").summary("Reject a client")
                .description("Drops its connection and refuses it from now on, enrolment token or not (re-enrol to let it back).")
                .to(ClientRoutes.Reject.class);
        route(POST, "/api/clients/{uuid}/re-enroll").summary("Re-enrol a client")
                .description("Voids the client's credential (and its address pin, for a client without one) and drops its "
                        + "connection: its next connection enrols like a new client's, with an enrolment token or an "
                        + "admin's approval. For a reinstalled PC that lost its credential, a legacy client that moved, "
                        + "or a rejected client to let back. An enrolment token never re-keys an enrolled client by itself.")
                .to(ClientRoutes.Reenroll.class);
        route(GET, "/api/commands").summary("Command history")
                .description("Newest first. Filters: client, command, status (ok, failed, timeout, offline, error), "
                        + "reads (false leaves out the commands plugins declare as reads), limit (1-1000), before (an id, "
                        + "for paging).")
                .to(ClientRoutes.CommandHistory.class);

        route(POST, "/api/enrollment/tokens").summary("Create an enrolment token")
                .description("The token is in this answer only; it is stored hashed. expires_in: whole seconds, 1 to 31536000 "
                        + "(a year); without it the token expires after 7 days (expires_at in the answer).")
                .requestExample("{\"name\":\"Lab 2 PCs\",\"expires_in\":86400}")
                .to(EnrollmentRoutes.Create.class);
        route(GET, "/api/enrollment/tokens").summary("Enrolment tokens (without their secret)")
                .requires(Role.ADMIN).to(EnrollmentRoutes.ListTokens.class);
        route(DELETE, "/api/enrollment/tokens/{id}").summary("Revoke an enrolment token").to(EnrollmentRoutes.Revoke.class);

        route(POST, "/api/tokens").summary("Create an API token")
                .description("For scripts and monitoring: 'Authorization: Bearer ctt_...' with the token's role. The "
                        + "token is in this answer only; it is stored hashed. expires_in is in seconds (1 to 5 years); "
                        + "left out, the token never expires. At most 1000 tokens may be live (409 TOO_MANY_TOKENS).")
                .requestExample("{\"name\":\"Nightly backup script\",\"role\":\"viewer\",\"expires_in\":2592000}")
                .responseExample("{\"id\":1,\"name\":\"Nightly backup script\",\"role\":\"viewer\","
                        + "\"created_at\":\"2026-03-01T08:00:00Z\",\"created_by\":\"admin\",\"expires_at\":"
                        + "\"2026-03-31T08:00:00Z\",\"last_used_at\":null,\"revoked\":false,\"token\":\"ctt_...\"}")
                .to(TokenRoutes.Create.class);
        route(GET, "/api/tokens").summary("API tokens (without their secret)")
                .description("Every token, newest first, with its role, creator, expiry (null: never), when it was "
                        + "last used (kept in memory at once, stored at most once a minute) and whether it was revoked.")
                .requires(Role.ADMIN).to(TokenRoutes.ListTokens.class);
        route(DELETE, "/api/tokens/{id}").summary("Revoke an API token")
                .description("Requests with the token get 401 INVALID_TOKEN from now on; a live feed opened with it "
                        + "is closed.").to(TokenRoutes.Revoke.class);
        route(GET, "/api/audit").summary("Audit log of admin actions")
                .description("Newest first: every change made through the API (who, how they signed in, from where, "
                        + "what, the answer's status) and every sign-in attempt. Filters: user (exact), action (method "
                        + "and route, e.g. 'POST /api/tokens'), from and to (ISO-8601, from inclusive, to exclusive), "
                        + "limit (1-1000, default 100), before (an id, for paging).")
                .responseExample("[{\"id\":7,\"at\":\"2026-03-01T08:00:00Z\",\"user\":\"admin\",\"auth\":"
                        + "\"session\",\"address\":\"10.0.0.5\",\"method\":\"POST\",\"path\":"
                        + "\"/api/clients/pc-1/approve\",\"plugin\":\"core\",\"action\":"
                        + "\"POST /api/clients/{uuid}/approve\",\"status\":200,\"detail\":{\"uuid\":\"pc-1\"}}]")
                .requires(Role.ADMIN).to(AuditRoutes.Search.class);

        route(POST, "/api/auth/logout").summary("Sign out").requires(Role.VIEWER).to(AuthRoutes.Logout.class);
        route(GET, "/api/auth/me").summary("Who am I")
                .description("Name and role; for a cookie session also csrf_token, the X-CSRF-Token its changes must send.")
                .to(AuthRoutes.Me.class);
        route(POST, "/api/auth/password").summary("Change my password").requires(Role.VIEWER)
                .description("Needs the current password; the user's other sessions end. Wrong passwords count "
                        + "towards the sign-in limit.")
                .requestExample("{\"current_password\":\"...\",\"new_password\":\"a new long passphrase\"}")
                .to(AuthRoutes.ChangeOwnPassword.class);
        route(GET, "/api/users").summary("Users").requires(Role.ADMIN).to(AuthRoutes.ListUsers.class);
        route(POST, "/api/users").summary("Add a user")
                .requestExample("{\"username\":\"teacher1\",\"password\":\"a long passphrase\",\"role\":\"viewer\"}")
                .to(AuthRoutes.CreateUser.class);
        route(PATCH, "/api/users/{username}").summary("Change a user's role, password or disabled flag")
                .description("The user's sessions end so the change applies at once. The last enabled admin "
                        + "cannot be demoted or disabled (409 LAST_ADMIN).")
                .requestExample("{\"role\":\"viewer\"}")
                .to(AuthRoutes.UpdateUser.class);
        route(DELETE, "/api/users/{username}").summary("Delete a user").to(AuthRoutes.DeleteUser.class);
        route(GET, LiveFeed.PATH).summary("Live feed (Server-Sent Events)")
                .description("text/event-stream of JSON messages: hello, event (client.* events carry the client's "
                        + "view), commands (finished count, once a second at most), ping. A tab over 1 MiB behind "
                        + "is disconnected and reconnects.")
                .to(LiveFeed.Listed.class);

        route(GET, "/api/system/status").summary("Server status and counters").to(SystemRoutes.Status.class);
        route(GET, "/api/plugins").summary("Installed plugins and what each registers")
                .description("Each plugin's id, version, state (started, disabled, failed, restart_required), error (one "
                        + "sentence), what it registers, agent_side (version, sha256, platforms), agents (what connected "
                        + "agents run of it), settings, unloadable, removable, bundled and pending (a change waiting for "
                        + "a restart).")
                .to(SystemRoutes.Plugins.class);
        route(GET, "/api/plugins/{id}/settings").summary("A plugin's settings").requires(Role.ADMIN)
                .description("The settings the plugin declares: name, type (string, int, long, bool, duration), default, "
                        + "description (and per language), the value it reads now, and whether a change applies live.")
                .responseExample("{\"settings\":[{\"name\":\"poll-interval\",\"type\":\"duration\",\"default\":\"15s\","
                        + "\"description\":\"How often nodes are polled\",\"descriptions\":{},\"value\":\"15s\",\"live\":true}]}")
                .to(PluginSettingsRoutes.Get.class);
        route(PUT, "/api/plugins/{id}/settings").summary("Change a plugin's settings")
                .description("Checks every value against its type (400 naming the setting), stores all of them or none, then "
                        + "applies them: applied 'live' when every changed setting is live, 'reloaded' when the plugin was "
                        + "restarted (its requests in flight finish; new ones get 503 for that moment), 'stored' for a "
                        + "disabled plugin. A null value goes back to the environment, config file or default.")
                .requestExample("{\"values\":{\"poll-interval\":\"30s\"}}")
                .to(PluginSettingsRoutes.Put.class);
        route(POST, "/api/plugins").summary("Install or upgrade a plugin")
                .description("The body is the plugin jar (Content-Type application/java-archive, at most --plugin-max-bytes). "
                        + "A new id answers 201, a higher Plugin-Version of an installed id replaces it and answers 200, "
                        + "both with the plugin's entry. Refused with a sentence and nothing changed: 400 not a jar, no "
                        + "Plugin-Id, a bad id or version, no extension; 409 Plugin-Requires not met, a dependency "
                        + "missing, a version not higher than the installed one; 413 too large; 415 another type.")
                .to(PluginRoutes.Upload.class);
        route(POST, "/api/plugins/{id}/disable").summary("Disable a plugin")
                .description("Its routes answer 404, its panels leave, its services stop (plugins depending on it too); "
                        + "kept across restarts.").to(PluginRoutes.Disable.class);
        route(POST, "/api/plugins/{id}/enable").summary("Enable a plugin").to(PluginRoutes.Enable.class);
        route(DELETE, "/api/plugins/{id}").summary("Remove a plugin")
                .description("Unloads it and deletes its uploaded jar; ?purge=true also drops the tables its migrations "
                        + "created, its migration history and its data folder. 409 while another plugin depends on it, "
                        + "or for a plugin built into the server.")
                .to(PluginRoutes.Remove.class);
        route(GET, "/api/plugins/{id}/agent-jar").summary("A plugin's jar, for agents")
                .description("For an admin, or an agent with the download token of its session (Authorization: Bearer "
                        + "ctd_...). ETag is the jar's SHA-256. 404 when the plugin has no agent side or is not started.")
                .requires(Role.ADMIN).produces(PluginRoutes.JAR_TYPE).authenticatedBy(PluginRoutes.DownloadTokens.class)
                .to(PluginRoutes.AgentJar.class);
        route(GET, "/api/ui/panels").summary("UI panels of all plugins").to(SystemRoutes.Panels.class);
        route(GET, "/api/events").summary("Recent events")
                .description("Filters: client, prefix (e.g. cctv.), limit (1-1000).").to(SystemRoutes.Events.class);
    }
}
