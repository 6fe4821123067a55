package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.classtop.dist.AgentProcess;
import org.classtop.dist.LmsServer;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Issue 15, part A in a real browser against the real distribution: the live list around a server restart,
 * "last seen" of connected clients, deleting a setting and the settings panel of an offline client, and a
 * signed-out page load without errors in the console.
 */
class LiveStateUiIT {
    private static final Duration CONNECT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private final List<AutoCloseable> started = new ArrayList<>();

    @AfterEach
    void stopEverything() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("Could not stop " + started.get(i) + ": " + e);
            }
        }
        started.clear();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        started.add(resource);
        return resource;
    }

    private LmsServer startServer(String token, Path data, int port) {
        return keep(LmsServer.start(work, token, data, port, "--enrollment", "open"));
    }

    private AgentProcess startAgent(LmsServer server, String name, Path data) {
        AgentProcess agent = keep(AgentProcess.start(work, server.url(), name, data, null));
        agent.awaitConnected(CONNECT);
        return agent;
    }

    private static void addAdmin(LmsServer server) {
        ApiResult created = server.api().post("/api/users",
                Map.of("username", UiServer.ADMIN, "password", UiServer.ADMIN_PASSWORD, "role", "admin"));
        assertEquals(201, created.status(), created.toString());
    }

    @Test
    void theListIsMarkedStaleWhileTheServerIsDownAndAnAgentConnectingRightAfterTheRestartShowsOnline() throws Exception {
        String token = LmsServer.randomToken();
        Path data = Files.createDirectories(work.resolve("server-data"));
        LmsServer first = startServer(token, data, 0);
        int port = first.port();
        addAdmin(first);
        Path agentData = work.resolve("agent-1");
        AgentProcess agent = startAgent(first, "Room 201", agentData);
        String uuid = agent.uuid();
        Poll.until("Room 201 online", CONNECT, () -> first.isOnline(uuid));

        Browser browser = keep(Browser.start(first.url(), "en-US"));
        AdminUi ui = new AdminUi(browser);
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients");
        ui.awaitClientStatus(uuid, "online");
        assertFalse(browser.visible("[data-banner=stale]"), "no stale banner while the feed is live");

        // The server goes away: the page says its list may be out of date.
        agent.close();
        first.stop();
        browser.until("the stale banner", () -> browser.visible("[data-banner=stale]"));
        assertTrue(browser.text("[data-banner=stale]").contains("may be out of date"), browser.text("[data-banner=stale]"));
        browser.screenshot("clients-stale");

        // The server comes back on the same port and the agent connects right after it.
        LmsServer second = startServer(token, data, port);
        startAgent(second, "Room 201", agentData);
        Poll.until("Room 201 online after the restart", CONNECT, () -> second.isOnline(uuid));
        ui.awaitClientStatus(uuid, "online");
        browser.until("the stale banner gone", () -> !browser.visible("[data-banner=stale]"));
        assertEquals(List.of(), browser.scriptErrors(), "script errors in the page");
    }

    @Test
    void lastSeenSaysOnlineAndASettingIsDeletedAndAnOfflineClientCannotBeEdited() throws Exception {
        LmsServer server = startServer(LmsServer.randomToken(), Files.createDirectories(work.resolve("server-data")), 0);
        addAdmin(server);
        AgentProcess agent = startAgent(server, "Room 301", work.resolve("agent-1"));
        String uuid = agent.uuid();
        Poll.until("Room 301 online", CONNECT, () -> server.isOnline(uuid));
        ApiResult batch = server.api().post("/api/settings/" + uuid + "/batch",
                Map.of("settings", Map.of("theme", "dark", "bell", "on")));
        assertEquals(200, batch.status(), batch.toString());

        Browser browser = keep(Browser.start(server.url(), "en-US"));
        AdminUi ui = new AdminUi(browser);
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/clients");
        WebElement row = ui.awaitClientStatus(uuid, "online");
        assertTrue(browser.text(row).contains("Online now"), "an online row says so, not an age: " + browser.text(row));

        // "last seen" follows the heartbeats in the API
        String connectedAt = server.api().get("/api/clients/" + uuid).data().path("last_seen").asText();
        Poll.until("last_seen moves with the heartbeats", Duration.ofSeconds(30),
                () -> !connectedAt.equals(server.api().get("/api/clients/" + uuid).data().path("last_seen").asText()));

        // The console says which time each duration is, and its notification leaves Send free.
        browser.click(ui.awaitClientStatus(uuid, "online").findElement(org.openqa.selenium.By.cssSelector("mdui-checkbox")));
        browser.click("[data-action=send-command]");
        browser.click("mdui-chip[data-command=get_setting]");
        browser.click("mdui-segmented-button[data-mode=json]"); // the JSON (advanced) mode of the parameters
        browser.type("[data-field=params]", "{\"key\": \"bell\"}");
        browser.click("[data-action=send]");
        WebElement result = browser.until("the answer", () -> browser.now("[data-result-client='" + uuid + "'][data-outcome=ok]"));
        assertTrue(browser.text(result).contains("Round trip"), browser.text(result));
        browser.click("[data-field=history-reads]"); // get_setting is a read: shown when asked for
        browser.until("the history's agent time column", () -> browser.textNow("table[data-table=history] thead").contains("Agent time"));
        browser.until("the notification", () -> browser.visible("mdui-snackbar[open]"));
        assertEquals(Boolean.FALSE, browser.js("const r = document.querySelector('mdui-snackbar[open]').getBoundingClientRect(); const s = document.querySelector('[data-action=send]').getBoundingClientRect();"
                + "return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;"),
                "the notification does not cover the Send button");

        // Delete a setting from the settings tab, after the confirmation.
        browser.go("#/clients/" + uuid);
        browser.click("mdui-tab[data-panel-tab='settings/settings']");
        WebElement panel = browser.find("classtop-settings-panel");
        browser.inShadow(panel, "tr[data-key=theme]");
        String columnsBefore = columnLefts(browser, panel);
        browser.click(browser.inShadow(panel, "tr[data-key=bell] [data-action=edit]"));
        browser.inShadow(panel, "tr[data-key=bell] mdui-text-field[name=value]");
        assertEquals(columnsBefore, columnLefts(browser, panel), "entering edit mode does not move the columns");
        browser.click(browser.inShadow(panel, "tr[data-key=bell] [data-action=cancel]"));

        browser.click(browser.inShadow(panel, "tr[data-key=theme] [data-action=delete]"));
        browser.until("the confirmation", () -> {
            try {
                browser.driver().switchTo().alert().accept();
                return true;
            } catch (org.openqa.selenium.NoAlertPresentException notYet) {
                return false;
            }
        });
        browser.until("theme gone from the table", () -> browser.inShadowNow(panel, "tr[data-key=theme]") == null);
        assertFalse(server.api().get("/api/settings/" + uuid).data().path("settings").has("theme"), "gone on the agent");

        // The client goes offline: Edit, Delete and Add are disabled.
        agent.close();
        browser.until("Edit disabled while offline", () -> browser.inShadowNow(panel, "tr[data-key=bell] [data-action=edit]")
                .getDomProperty("disabled").equals("true"));
        assertEquals("true", browser.inShadow(panel, "tr[data-key=bell] [data-action=delete]").getDomProperty("disabled"));
        assertEquals("true", browser.inShadow(panel, "[data-action=add]").getDomProperty("disabled"));
        browser.screenshot("client-settings-offline");
        assertEquals(List.of(), browser.scriptErrors(), "script errors in the page");
    }

    /** The left edge of each column of the settings table, as text. */
    private static String columnLefts(Browser browser, WebElement panel) {
        return String.valueOf(browser.js("return [...arguments[0].shadowRoot.querySelectorAll('table.settings th')]"
                + ".map((th) => Math.round(th.getBoundingClientRect().left) + ':' + Math.round(th.getBoundingClientRect().width)).join(',')",
                panel));
    }

    @Test
    void aSignedOutPageLoadShowsTheSignInPageWithNothingFailingInTheConsole() throws Exception {
        String token = LmsServer.randomToken();
        LmsServer server = startServer(token, Files.createDirectories(work.resolve("server-data")), 0);
        Browser browser = keep(Browser.start(server.url(), "en-US"));
        browser.open("");
        browser.find("#login-form");
        List<String> failures = browser.driver().manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertEquals(List.of(), failures, "no failed request (401, favicon) on a signed-out load");
        assertEquals(200, server.api().anonymous().get("/favicon.svg").status());

        // The first admin, with the password printed at the first start, is asked to choose one.
        // printed once the admin is stored, which goes on in the background after the start
        java.util.regex.Pattern banner = java.util.regex.Pattern.compile("sign in as 'admin' with the password\\s+(\\S+)");
        java.util.regex.Matcher printed = browser.until("the first start's password printed" + server.process().describe(), () -> {
            java.util.regex.Matcher found = banner.matcher(server.process().stderr());
            return found.find() ? found : null;
        });
        AdminUi ui = new AdminUi(browser);
        ui.signIn("admin", printed.group(1));
        browser.until("the banner asking for a password of one's own", () -> browser.visible("[data-banner=password]"));
        browser.click("[data-action=change-generated-password]");
        browser.type("mdui-dialog mdui-text-field[name=current-password]", printed.group(1));
        browser.type("mdui-dialog mdui-text-field[name=new-password]", "the admin's own passphrase");
        browser.type("mdui-dialog mdui-text-field[name=repeat-password]", "the admin's own passphrase");
        browser.click("mdui-dialog [data-action=save-password]");
        browser.until("the banner gone once the password is changed", () -> !browser.visible("[data-banner=password]"));
        browser.open("");
        browser.find(".account-name");
        assertFalse(browser.visible("[data-banner=password]"), "not after a reload either");

        // /docs shows the description's <sentence> as text
        browser.driver().get(server.url() + "/docs");
        browser.type("#token", token);
        browser.click("#auth button[type=submit]");
        browser.until("the API description on /docs", () -> {
            WebElement description = browser.now(".info .description, .info .renderedMarkdown");
            return description != null && browser.text(description).contains("<sentence>");
        });
    }
}
