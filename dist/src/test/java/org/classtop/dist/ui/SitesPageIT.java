package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.classtop.dist.LmsServer;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Sites page of management-sync in a real browser, on the real distribution started with {@code --role
 * management} on a fresh PostgreSQL database: an LMS (a fake one on the centre's /ws answering lms_relay) shows
 * online with its heartbeat and clients, drills down to them, the merged client list searches across sites, the
 * console reaches a client through its LMS, and the page follows the language.
 */
class SitesPageIT {
    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres";

    @TempDir
    Path work;

    @Test
    void theSitesPageShowsEveryLmsItsClientsAndReachesAClient() throws Exception {
        String database = "classtop_sites_ui_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            Assumptions.assumeTrue(false, "PostgreSQL at 127.0.0.1:5432 is not reachable, skipped (" + e.getMessage() + ")");
        }
        try {
            run("jdbc:postgresql://127.0.0.1:5432/" + database + "?user=postgres");
        } finally {
            try (Connection c = DriverManager.getConnection(ADMIN_URL); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    private void run(String dbUrl) throws Exception {
        try (LmsServer centre = LmsServer.start(work, LmsServer.randomToken(), Files.createDirectories(work.resolve("centre")), 0,
                "--role", "management", "--db-url", dbUrl, "--enrollment", "open")) {
            ApiClient api = centre.api();
            assertEquals(201, api.post("/api/users", Map.of("username", UiServer.ADMIN, "password", UiServer.ADMIN_PASSWORD,
                    "role", "admin")).status());
            ApiResult reg = api.anonymous().post("/api/lms/register", Map.of("lms_uuid", "lms-ui", "name", "North campus",
                    "host", "10.1.0.5", "port", 8000, "version", "0.1.0"));
            String key = reg.data().path("api_key").asText();
            ApiClient asLms = ApiClient.withToken(centre.url(), key);
            assertEquals(200, asLms.post("/api/lms/heartbeat", Map.of("lms_uuid", "lms-ui", "client_count", 2, "outbox", 0, "clients",
                    List.of(Map.of("uuid", "pc-1", "name", "Room 101", "status", "online"),
                            Map.of("uuid", "pc-2", "name", "Library", "status", "offline")))).status());
            api.anonymous().post("/api/lms/register", Map.of("lms_uuid", "lms-south", "name", "South campus"));

            FakeAgent lms = new FakeAgent("lms-ui");
            lms.on("lms_relay", p -> Map.of("client", p.path("target_client").asText(), "theme", "dark"));
            lms.register(centre.url().replace("http", "ws") + "/ws", "North campus", Map.of("client_type", "lms", "token", key));
            try (lms; Browser browser = Browser.start(centre.url(), "en-US")) {
                lms.await("registered", Duration.ofSeconds(20));
                AdminUi ui = new AdminUi(browser);
                ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
                browser.go("#/page/management-sync/sites");
                String north = "management-sync-sites tr.site[data-uuid=lms-ui]";
                browser.until("North campus online and connected", () -> "online".equals(browser.textNow(north + " .status"))
                        && "connected".equals(browser.textNow(north + " .link")));
                assertEquals("1/2", browser.text(north + " .client-count"));
                assertEquals("0.1.0", browser.text(north + " .version"));
                assertEquals("offline", browser.text("management-sync-sites tr.site[data-uuid=lms-south] .status"), "never heartbeated");
                browser.screenshot("management-sync-sites");

                browser.click(north);
                browser.until("its clients", () -> browser.present("management-sync-sites .site-detail tr.client[data-uuid=pc-2]"));
                assertEquals("Library", browser.text("management-sync-sites .site-detail tr.client[data-uuid=pc-2] .name"));

                browser.click("management-sync-sites button.view-clients");
                browser.until("the merged list", () -> browser.present("management-sync-sites tr.client[data-uuid=pc-1]"));
                browser.type("management-sync-sites input[name=q]", "libr");
                browser.until("only the library", () -> browser.all("management-sync-sites table.clients tbody tr").size() == 1
                        && browser.present("management-sync-sites tr.client[data-uuid=pc-2]"));
                assertEquals("North campus", browser.text("management-sync-sites tr.client[data-uuid=pc-2] .site"));

                browser.type("management-sync-sites input[name=q]", "room 101");
                browser.until("room 101", () -> browser.present("management-sync-sites tr.client[data-uuid=pc-1]"));
                browser.click("management-sync-sites tr.client[data-uuid=pc-1]");
                browser.click("management-sync-sites .client-detail button.command");
                browser.until("the console for pc-1", () -> "pc-1".equals(browser.js(
                        "return document.querySelector('management-sync-sites input[name=target]').value")));
                browser.type("management-sync-sites input[name=command]", "get_setting");
                browser.type("management-sync-sites textarea[name=params]", "{\"key\":\"theme\"}");
                browser.click("management-sync-sites button.send");
                browser.until("the client's answer", () -> browser.textNow("management-sync-sites pre.answer").contains("\"theme\": \"dark\""));
                assertTrue(lms.history().stream().anyMatch(f -> "lms_relay".equals(f.path("command").asText())
                        && "get_setting".equals(f.path("params").path("command").asText())));

                browser.type("management-sync-sites input[name=target]", "nobody");
                browser.click("management-sync-sites button.send");
                String sentence = api.post("/api/control/command", Map.of("target_client", "nobody", "command", "get_setting")).error();
                browser.until("the API's sentence", () -> browser.textNow("management-sync-sites .command-error").endsWith(sentence));

                ui.switchLanguage("zh-CN");
                try {
                    browser.until("the page in Chinese", () -> "站点".equals(browser.textNow("management-sync-sites h2")));
                    browser.click("management-sync-sites button.view-sites");
                    browser.until("the status in Chinese", () -> "在线".equals(browser.textNow(north + " .status")));
                } finally {
                    ui.switchLanguage("en");
                }
                assertEquals(List.of(), browser.scriptErrors(), "script errors in the page");
            }
        }
    }
}
