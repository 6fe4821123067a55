package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.classtop.dist.AgentProcess;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The admin UI in a real browser against the real server, plugins and agents of the distribution (open
 * enrolment). One server, two agents and one browser for the whole class; the tests run in order and each
 * signs in as needed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminUiIT {
    @RegisterExtension
    static final UiSession SESSION = new UiSession("open");

    static UiServer server;
    static Browser browser;
    static AdminUi ui;
    static String room101;
    static String room102;

    @BeforeAll
    static void startServerAgentsAndBrowser() {
        server = SESSION.server();
        browser = SESSION.browser();
        ui = SESSION.ui();
        room101 = server.startOnlineAgent("Room 101");
        room102 = server.startOnlineAgent("Room 102");
        // Some history, so that the pages have something to show.
        for (String uuid : List.of(room101, room102)) {
            ApiResult batch = server.api().post("/api/settings/" + uuid + "/batch",
                    Map.of("settings", Map.of("volume", "60", "language", "zh-CN", "bell", "on")));
            assertEquals(200, batch.status(), batch.toString());
        }
    }

    @Test
    @Order(1)
    void aWrongPasswordShowsTheApiSentenceAndTheRightOneOpensTheDashboard() {
        String sentence = server.api().anonymous()
                .post("/api/auth/login", Map.of("username", UiServer.ADMIN, "password", "not the password")).error();
        browser.open("");
        browser.find("#login-form");
        assertEquals("en", browser.js("return document.documentElement.lang"), "an English browser gets English");
        browser.type("#login-username", UiServer.ADMIN);
        browser.screenshot("sign-in");

        ui.submitSignIn(UiServer.ADMIN, "not the password either");
        WebElement error = browser.find("#login-error");
        browser.until("the API's sentence under the form", () -> sentence.equals(browser.text(error)));
        assertTrue(browser.present("#login-form"), "still on the sign-in page");

        ui.submitSignIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.find("[data-stat=online] .stat-value");
        assertEquals("Dashboard", ui.heading());
        assertTrue(browser.js("return location.hash").toString().matches("#?/?"), "lands on the dashboard");
        browser.until("2 clients online on the dashboard",
                () -> "2".equals(browser.textNow("[data-stat=online] .stat-value")));
        assertEquals(sessionCsrf(), browser.js("return sessionStorage.getItem('classtop.csrf')"),
                "the csrf token is kept in sessionStorage");
        browser.until("recent commands listed", () -> browser.all("[data-list=recent-commands] li").size() >= 2);

        // Everything the page loaded came from this server (no CDN), and the icon font is there.
        @SuppressWarnings("unchecked")
        List<String> resources = (List<String>) browser.js(
                "return performance.getEntriesByType('resource').map(e => e.name)");
        for (String url : resources) {
            assertTrue(url.startsWith(server.url() + "/"), "loaded from elsewhere: " + url);
        }
        assertEquals(Boolean.TRUE, browser.jsAsync("document.fonts.load('24px \"Material Icons\"')"
                + ".then(f => arguments[0](f.length > 0))"), "the Material Icons font loads from /vendor");
    }

    @Test
    @Order(2)
    void aClientAppearsLiveWhenItsAgentStartsAndShowsOfflineWhenItStops() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients");
        ui.awaitClientStatus(room101, "online");
        browser.until("the live indicator says live",
                () -> "live".equals(browser.find(".live-indicator").getDomAttribute("data-state")));
        ui.markPage();

        AgentProcess agent = server.startAgent("Room 103");
        String uuid = UiServer.uuidOf(agent);
        agent.awaitConnected(UiServer.CONNECT);
        long connected = System.nanoTime();
        WebElement row = ui.awaitClientStatus(uuid, "online");
        double seconds = (System.nanoTime() - connected) / 1e9;
        assertTrue(seconds < 3, "shown " + seconds + " s after the agent connected");
        assertTrue(browser.text(row).contains("Room 103"), browser.text(row));
        ui.assertNotReloaded();

        agent.process().stop(Duration.ofSeconds(15));
        ui.awaitClientStatus(uuid, "offline");
        ui.assertNotReloaded();

        // The status filter and the search narrow the list.
        browser.click("mdui-segmented-button[data-filter=offline]");
        browser.until("only the offline client", () -> browser.all("table[data-table=clients] tbody tr").size() == 1);
        browser.click("mdui-segmented-button[data-filter=all]");
        browser.type("[data-field=search]", "room 102");
        browser.until("only Room 102", () -> browser.all("table[data-table=clients] tbody tr").size() == 1
                && ui.clientRow(room102) != null);
        browser.type("[data-field=search]", "");
        browser.until("all three again", () -> browser.all("table[data-table=clients] tbody tr").size() == 3);
        browser.screenshot("clients");

        // Forget the offline client, after a confirmation.
        browser.click("table[data-table=clients] tr[data-uuid='" + uuid + "'] [data-action=forget]");
        browser.click("mdui-dialog.confirm-dialog [data-action=confirm]");
        browser.until("Room 103 gone from the list", () -> ui.clientRow(uuid) == null);
        assertEquals(404, server.api().get("/api/clients/" + uuid).status(), "the server forgot it too");
        ui.assertNotReloaded();
    }

    @Test
    @Order(3)
    void aSettingEditedInTheSettingsTabChangesTheAgentsValue() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients/" + room101);
        browser.until("the client's name as heading", () -> "Room 101".equals(ui.heading()));
        browser.click("mdui-tab[data-panel-tab='settings/settings']");
        WebElement panel = browser.find("classtop-settings-panel");
        assertEquals(room101, panel.getDomAttribute("client-uuid"));
        assertEquals("en", panel.getDomAttribute("lang"));
        assertEquals("admin", panel.getDomAttribute("user-role"));

        // Add a setting.
        browser.type(browser.inShadow(panel, "mdui-text-field[name=new-key]"), "theme");
        browser.type(browser.inShadow(panel, "mdui-text-field[name=new-value]"), "dark");
        browser.click(browser.inShadow(panel, "[data-action=add]"));
        browser.until("theme = dark in the table", () -> "dark".equals(
                browser.text(browser.inShadowNow(panel, "tr[data-key=theme] td.value"))));
        assertEquals("dark", agentSetting(room101, "theme"));

        // Edit it.
        browser.click(browser.inShadow(panel, "tr[data-key=theme] [data-action=edit]"));
        browser.type(browser.inShadow(panel, "tr[data-key=theme] mdui-text-field[name=value]"), "light");
        browser.click(browser.inShadow(panel, "tr[data-key=theme] [data-action=save]"));
        browser.until("theme = light in the table",
                () -> "light".equals(browser.text(browser.inShadowNow(panel, "tr[data-key=theme] td.value"))));
        assertEquals("light", agentSetting(room101, "theme"), "the agent's own value, asked with get_setting");
        browser.screenshot("client-settings");
    }

    @Test
    @Order(4)
    void batchChangeAppliesToTwoSelectedClientsWithAResultForEach() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients");
        for (String uuid : List.of(room101, room102)) {
            browser.click(ui.awaitClientStatus(uuid, "online").findElement(org.openqa.selenium.By.cssSelector("mdui-checkbox")));
        }
        browser.until("2 selected", () -> browser.text(".selection-text").startsWith("2 "));
        browser.click("[data-batch-panel='settings/settings-batch']");
        browser.find("mdui-dialog[data-batch='settings/settings-batch']");
        WebElement batch = browser.find("mdui-dialog[data-batch] classtop-settings-batch");
        assertEquals(room101 + "," + room102, batch.getDomAttribute("client-uuids"));

        browser.type(browser.inShadow(batch, "mdui-text-field[name=key]"), "bell");
        browser.type(browser.inShadow(batch, "mdui-text-field[name=value]"), "off");
        browser.click(browser.inShadow(batch, "[data-action=apply]"));
        for (String uuid : List.of(room101, room102)) {
            WebElement outcome = browser.inShadow(batch, "tr[data-client='" + uuid + "'] td.outcome");
            assertTrue(outcome.getDomAttribute("class").contains("ok"), uuid + ": " + browser.text(outcome));
            assertEquals("off", agentSetting(uuid, "bell"));
        }
        browser.screenshot("batch-dialog");

        browser.click(browser.inShadow(batch, "[data-action=close]"));
        browser.until("the dialog closes", () -> !browser.present("mdui-dialog[data-batch]"));
    }

    @Test
    @Order(5)
    void theConsoleSendsACommandToTheSelectedClientsAndShowsEachAnswer() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients");
        browser.find("table[data-table=clients]");
        if (!browser.visible(".selection-bar")) {
            for (String uuid : List.of(room101, room102)) {
                browser.click(ui.awaitClientStatus(uuid, "online").findElement(org.openqa.selenium.By.cssSelector("mdui-checkbox")));
            }
        }
        browser.click("[data-action=send-command]");
        browser.until("the console with both targets", () -> browser.present("mdui-chip[data-target='" + room101 + "']")
                && browser.present("mdui-chip[data-target='" + room102 + "']"));

        browser.click("mdui-chip[data-command=get_setting]");
        browser.until("the command's example parameters", () -> String.valueOf(
                browser.js("return document.querySelector('[data-field=params]').value")).contains("\"key\""));
        browser.click("mdui-segmented-button[data-mode=json]"); // the JSON (advanced) mode of the parameters

        // Bad JSON is refused before anything is sent.
        browser.type("[data-field=params]", "{\"key\": ");
        browser.click("[data-action=send]");
        browser.until("the JSON error", () -> browser.text("[data-error=params]").contains("not valid JSON"));
        assertFalse(browser.present("[data-result-client]"), "nothing was sent");

        browser.type("[data-field=params]", "{\"key\": \"bell\"}");
        browser.click("[data-action=send]");
        for (String uuid : List.of(room101, room102)) {
            WebElement result = browser.until("the answer of " + uuid, () -> browser.now(
                    "[data-result-client='" + uuid + "'][data-outcome=ok]"));
            assertTrue(browser.text(result).contains("\"off\""), browser.text(result));
        }

        // An agent-side failure shows the agent's sentence and the code.
        browser.type("[data-field=command]", "frobnicate_display");
        browser.type("[data-field=params]", "{}");
        browser.click("[data-action=send]");
        WebElement failed = browser.until("a failed result", () -> browser.now(
                "[data-result-client='" + room101 + "'][data-outcome=failed]"));
        assertTrue(browser.text(failed).contains("frobnicate_display") && browser.text(failed).contains("COMMAND_FAILED"),
                browser.text(failed));

        browser.type("[data-field=command]", "get_setting");
        browser.type("[data-field=params]", "{\"key\": \"theme\"}");
        browser.click("[data-action=send]");
        browser.until("both answered", () -> browser.all("[data-result-client][data-outcome=ok]").size()
                + browser.all("[data-result-client][data-outcome=failed]").size() == 2);
        browser.click("[data-field=history-reads]"); // get_setting is a read: shown when asked for
        browser.until("the history shows the commands", () -> browser.all("table[data-table=history] tbody tr").size() >= 6);
        ui.dismissSnackbars();
        browser.js("document.getElementById('main').scrollTop = 0");
        browser.screenshot("console");
    }

    @Test
    @Order(6)
    void thePluginsPageShowsEveryPluginAndWhatItRegisters() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/plugins");
        for (String id : List.of("core", "settings", "cluster-monitor", "video-sources")) {
            WebElement card = browser.find("mdui-card[data-plugin='" + id + "']");
            assertTrue(browser.text(card).contains("Started"), id + ": " + browser.text(card));
        }
        String settings = browser.text("mdui-card[data-plugin=settings]");
        assertTrue(settings.contains("settings-0.1.0.jar") && settings.contains("Agent commands (6)"), settings);
        browser.screenshot("plugins");
    }

    @Test
    @Order(7)
    void theLanguageSwitchesToChineseEverywhereAndBack() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients/" + room101 + "?tab=panel-settings-settings");
        WebElement panel = browser.find("classtop-settings-panel");

        ui.switchLanguage("zh-CN");
        assertEquals("zh-CN", panel.getDomAttribute("lang"), "the mounted panel follows the language");
        assertEquals("客户端", browser.text("mdui-navigation-rail-item[data-nav=clients]"));
        assertEquals("设置", browser.text("mdui-tab[data-panel-tab='settings/settings']"), "panel titles follow");

        browser.go("#/");
        browser.until("the dashboard in Chinese", () -> "概览".equals(ui.heading()));
        assertEquals("在线", browser.text("[data-stat=online] .stat-label"));
        browser.until("recent events", () -> browser.present("[data-list=recent-events] li"));
        browser.screenshot("dashboard-zh");

        browser.open("#/");
        browser.until("still Chinese after a reload", () -> "概览".equals(ui.heading()));
        assertEquals("zh-CN", browser.js("return document.documentElement.lang"));

        ui.switchLanguage("en");
        assertEquals("Dashboard", ui.heading());
        assertEquals("Online", browser.text("[data-stat=online] .stat-label"));
        browser.until("recent commands", () -> browser.present("[data-list=recent-commands] li"));
        browser.screenshot("dashboard");
    }

    @Test
    @Order(8)
    void everyPageFitsATabletAndEveryControlHasAName() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.driver().manage().window().setSize(new Dimension(768, 1024));
        try {
            for (String page : List.of("#/", "#/clients", "#/clients/" + room101, "#/enrolment", "#/console", "#/plugins",
                    "#/users", "#/audit")) {
                browser.go(page);
                browser.until(page + " loaded", () -> !browser.present("#main .loading"));
                browser.until(page + " without a horizontal scroll bar", () -> (Boolean) browser.js(
                        "const main = document.getElementById('main');"
                                + "return document.documentElement.scrollWidth <= innerWidth && main.scrollWidth <= main.clientWidth"));
                assertTrue(browser.visible("mdui-navigation-rail-item[data-nav=clients]"), "navigation on " + page);
                browser.until("every control on " + page + " named", () -> ui.unnamedControls().isEmpty() ? true : null);
            }
            browser.go("#/clients");
            ui.awaitClientStatus(room101, "online");
            browser.screenshot("tablet-clients");
        } finally {
            browser.driver().manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(9)
    void anAdminAddsAUserChangesItsRoleAndDeletesIt() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/users");
        browser.type("[data-field=new-username]", "teacher.wang");
        browser.type("[data-field=new-password]", "another long password");
        browser.click("[data-action=add-user]");
        String row = "table[data-table=users] tr[data-username='teacher.wang']";
        browser.until("the new user listed as a viewer", () -> browser.present(row) && "viewer".equals(
                browser.js("return document.querySelector(arguments[0]).value", row + " mdui-select")));
        assertEquals("viewer", userRole("teacher.wang"));

        browser.click(row + " mdui-select[data-action=change-role]");
        browser.click(row + " mdui-menu-item[value=admin]");
        browser.until("the role changed on the server", () -> "admin".equals(userRole("teacher.wang")));
        browser.until("a snackbar saying so", () -> browser.present("mdui-snackbar[data-kind=success]"));

        browser.click(row + " [data-action=delete-user]");
        browser.click("mdui-dialog.confirm-dialog [data-action=confirm]");
        browser.until("the user gone from the list", () -> !browser.present(row));
        assertEquals(null, userRole("teacher.wang"), "deleted on the server");
    }

    private static String userRole(String username) {
        for (JsonNode user : server.api().get("/api/users").data()) {
            if (username.equals(user.path("username").asText())) {
                return user.path("role").asText();
            }
        }
        return null;
    }

    @Test
    @Order(10)
    void aViewerSeesNoChangingControlsAndADirectChangeIsRefused() {
        server.addUser("teacher.li", "a viewer's long password", "viewer");
        ui.signIn("teacher.li", "a viewer's long password");
        assertNull(browser.now("mdui-navigation-rail-item[data-nav=users]"), "no Users page for a viewer");

        browser.go("#/clients");
        ui.awaitClientStatus(room101, "online");
        assertFalse(browser.present("table[data-table=clients] mdui-checkbox"), "no selection for a viewer");
        assertFalse(browser.present("[data-action=forget]"), "no forget for a viewer");
        assertFalse(browser.present(".selection-bar"), "no batch actions for a viewer");

        browser.go("#/clients/" + room101);
        browser.until("the client page", () -> "Room 101".equals(ui.heading()));
        assertFalse(browser.present("[data-action=send-command]"));
        browser.click("mdui-tab[data-panel-tab='settings/settings']");
        WebElement panel = browser.find("classtop-settings-panel");
        assertEquals("viewer", panel.getDomAttribute("user-role"));
        browser.inShadow(panel, "tr[data-key=bell]");
        assertEquals(Boolean.FALSE, browser.js("const root = arguments[0].shadowRoot;"
                + "return [...root.querySelectorAll('[data-action=edit], [data-action=add]')].some(e => e.offsetParent !== null)",
                panel), "no visible edit or add control in the settings panel for a viewer");

        browser.go("#/console");
        browser.find("table[data-table=history]");
        assertFalse(browser.present("[data-action=send]"), "no send form for a viewer");
        browser.go("#/enrolment");
        browser.find("#main h1");
        assertFalse(browser.present("[data-action=create-token]"), "no enrolment tokens for a viewer");

        // The API refuses a change even when it is made by hand with the session's csrf token.
        @SuppressWarnings("unchecked")
        Map<String, Object> answer = (Map<String, Object>) browser.jsAsync(
                "fetch('/api/clients/' + arguments[0] + '/command', {method: 'POST', credentials: 'same-origin',"
                        + " headers: {'Content-Type': 'application/json', 'X-CSRF-Token': sessionStorage.getItem('classtop.csrf')},"
                        + " body: JSON.stringify({command: 'set_setting', params: {key: 'bell', value: 'on'}})})"
                        + ".then(r => r.json().then(j => arguments[1]({status: r.status, code: j.code, error: j.error})))",
                room101);
        assertEquals(403L, answer.get("status"), answer.toString());
        assertEquals("FORBIDDEN", answer.get("code"), answer.toString());
        assertNotEquals("", String.valueOf(answer.get("error")));
        assertEquals("off", agentSetting(room101, "bell"), "nothing changed");

        // Everyone may change their own password, from the account menu.
        browser.click("[data-action=account]");
        browser.click("[data-action=change-password]");
        browser.type("mdui-dialog mdui-text-field[name=current-password]", "a viewer's long password");
        browser.type("mdui-dialog mdui-text-field[name=new-password]", "a brand new viewer password");
        browser.type("mdui-dialog mdui-text-field[name=repeat-password]", "a brand new viewer password");
        browser.click("[data-action=save-password]");
        browser.until("the success snackbar", () -> browser.present("mdui-snackbar[data-kind=success]"));
        ui.signOut();
        ui.submitSignIn("teacher.li", "a viewer's long password");
        browser.until("the old password refused", () -> !browser.text("#login-error").isEmpty());
        ui.signIn("teacher.li", "a brand new viewer password");
        ui.signOut();
    }

    @Test
    @Order(11)
    void anApiTokenMadeInTheUiWorksUntilRevokedThereAndTheAuditLogShowsWhoDidWhat() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/users");
        browser.type("[data-field=api-token-name]", "Wall display");
        browser.click("[data-action=create-api-token]");
        WebElement field = browser.find("mdui-dialog.api-token-dialog [data-field=new-api-token]");
        String token = browser.until("the new API token", () -> {
            Object value = browser.js("return arguments[0].value", field);
            return value == null || value.toString().isEmpty() ? null : value.toString();
        });
        assertTrue(token.startsWith("ctt_"), token);
        browser.screenshot("api-token");
        browser.click("mdui-dialog.api-token-dialog [data-action=close-dialog]");
        WebElement listed = browser.until("the token in the list", () -> browser.all("table[data-table=api-tokens] tbody tr")
                .stream().filter(r -> browser.text(r).contains("Wall display")).findFirst().orElse(null));
        assertEquals("active", listed.getDomAttribute("data-state"));
        assertFalse(browser.text(listed).contains(token), "the list never shows the token itself");
        String row = "table[data-table=api-tokens] tr[data-token-id='" + listed.getDomAttribute("data-token-id") + "']";

        // A script uses it: a viewer token (the default role) may look, not change.
        ApiClient script = ApiClient.withToken(server.url(), token);
        assertEquals(200, script.get("/api/clients/").status());
        assertEquals(403, script.post("/api/enrollment/tokens", Map.of("name", "not allowed")).status());

        browser.click(row + " [data-action=revoke-api-token]");
        browser.click("mdui-dialog.confirm-dialog [data-action=confirm]");
        browser.until("the token shown revoked", () -> "revoked".equals(browser.find(row).getDomAttribute("data-state")));
        ApiResult refused = script.get("/api/clients/");
        assertEquals(401, refused.status(), refused.toString());
        assertEquals("INVALID_TOKEN", refused.code());

        // The audit log, narrowed to this admin: the sign-in and the token's creation, by name.
        browser.go("#/audit");
        browser.find("table[data-table=audit]");
        browser.type("[data-field=audit-user]", UiServer.ADMIN);
        String created = "table[data-table=audit] tr[data-action='POST /api/tokens']";
        String signedIn = "table[data-table=audit] tr[data-action='POST /api/auth/login'][data-status='200']";
        browser.until("the token's creation and the sign-in, and only this admin's rows", () -> browser.present(created)
                && browser.present(signedIn) && browser.all("table[data-table=audit] tbody tr").stream()
                .allMatch(r -> browser.text(r).contains(UiServer.ADMIN)));
        String creation = browser.text(created);
        assertTrue(creation.contains("API token created") && creation.contains("Wall display"), creation);
        assertTrue(browser.text(signedIn).contains("Sign-in"), browser.text(signedIn));
        assertTrue(browser.present("table[data-table=audit] tr[data-action='DELETE /api/tokens/{id}']"), "the revocation too");
        assertFalse(browser.text("table[data-table=audit]").contains(token), "never the token");
        ui.dismissSnackbars();
        browser.screenshot("audit");
    }

    /** The csrf token the browser's session was given (asked as the browser, with its cookie). */
    private static String sessionCsrf() {
        @SuppressWarnings("unchecked")
        Map<String, Object> me = (Map<String, Object>) browser.jsAsync(
                "fetch('/api/auth/me').then(r => r.json()).then(j => arguments[0](j.data))");
        return (String) me.get("csrf_token");
    }

    /** The value the agent itself reports (get_setting through the command API). */
    private static String agentSetting(String uuid, String key) {
        ApiResult answer = server.api().post("/api/clients/" + uuid + "/command",
                Map.of("command", "get_setting", "params", Map.of("key", key)));
        assertEquals(200, answer.status(), answer.toString());
        JsonNode data = answer.data();
        return data.path("value").asText(null);
    }
}
