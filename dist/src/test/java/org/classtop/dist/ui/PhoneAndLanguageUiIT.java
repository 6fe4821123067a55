package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
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
 * Issue 15 part B in a real browser: the pages on a phone (390x844), a Chinese session with the server's errors
 * in Chinese, and the command console's parameter form with reads kept out of the way.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PhoneAndLanguageUiIT {
    @RegisterExtension
    static final UiSession SESSION = new UiSession("open");

    static UiServer server;
    static Browser browser;
    static AdminUi ui;
    static String room201;

    @BeforeAll
    static void startServerAgentAndBrowser() {
        server = SESSION.server();
        browser = SESSION.browser();
        ui = SESSION.ui();
        room201 = server.startOnlineAgent("Room 201");
        ApiResult batch = server.api().post("/api/settings/" + room201 + "/batch",
                Map.of("settings", Map.of("bell", "on", "volume", "60")));
        assertEquals(200, batch.status(), batch.toString());
    }

    @Test
    @Order(1)
    void aChineseSessionShowsTheServersErrorsInChinese() {
        browser.open("");
        browser.js("localStorage.setItem('classtop.lang', 'zh-CN')");
        browser.open("");
        browser.find("#login-form");
        assertEquals("zh-CN", browser.js("return document.documentElement.lang"));

        ui.submitSignIn(UiServer.ADMIN, "not the password");
        WebElement error = browser.find("#login-error");
        browser.until("the server's INVALID_CREDENTIALS in Chinese", () -> "用户名或密码错误。".equals(browser.text(error)));
        browser.screenshot("sign-in-zh-error");

        ui.submitSignIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.until("the dashboard in Chinese", () -> "概览".equals(browser.textNow("#main h1")));
        browser.go("#/clients");
        ui.awaitClientStatus(room201, "online");
        browser.until("the count as 1/1 台在线", () -> browser.textNow("#main .page-sub").equals("1/1 台在线"));

        browser.go("#/clients/" + room201);
        browser.until("the client type in Chinese", () -> browser.textNow("#main .facts").contains("客户端电脑"));

        // A sentence said in English before the switch is not left in the live regions afterwards.
        browser.js("document.getElementById('announce-status').textContent = 'Copied to the clipboard.'");
        ui.switchLanguage("en");
        ui.switchLanguage("zh-CN");
        browser.until("the announcement in Chinese", () -> "语言：简体中文".equals(
                browser.js("return document.getElementById('announce-status').textContent")));
        assertEquals("", browser.js("return document.getElementById('announce-alert').textContent"));

        // A sentence with values keeps them; an unknown code, or a sentence of a known code in a new shape, stays as sent.
        assertEquals(List.of("客户端 Room 201 在回复“get_setting”之前断开了连接。", "Something new happened.",
                        "Client Room 201 is on fire."), browser.jsAsync("const done = arguments[0];"
                + "import('/js/errors.js').then(m => done(["
                + "m.localizeError('CLIENT_OFFLINE', \"Client Room 201 disconnected before answering 'get_setting'.\"),"
                + "m.localizeError('SOMETHING_NEW', 'Something new happened.'),"
                + "m.localizeError('CLIENT_OFFLINE', 'Client Room 201 is on fire.')]))"));

        // Plugins and their commands describe themselves in Chinese.
        browser.go("#/plugins");
        WebElement settings = browser.find("mdui-card[data-plugin=settings]");
        browser.until("the settings plugin described in Chinese", () -> browser.text(settings).contains("读取和修改客户端电脑的设置"));
        String all = String.valueOf(browser.js("return arguments[0].textContent", settings)); // sections are folded
        assertTrue(all.contains("读取一项设置"), all);
        ui.switchLanguage("en");
    }

    @Test
    @Order(2)
    void everyMainPageFitsAPhoneWithADrawerAndCardRows() {
        inEnglish();
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.driver().manage().window().setSize(new Dimension(390, 844));
        try {
            browser.until("a 390 px wide page", () -> ((Number) browser.js("return innerWidth")).intValue() <= 390);
            for (String page : List.of("#/", "#/clients", "#/clients/" + room201,
                    "#/clients/" + room201 + "?tab=panel-settings-settings", "#/enrolment", "#/console", "#/plugins",
                    "#/users", "#/audit", "#/page/cluster-monitor/cluster-monitor")) {
                browser.go(page);
                browser.until(page + " loaded", () -> !browser.present("#main .loading"));
                assertNoSidewaysScroll(page);
                assertFalse(browser.visible("mdui-navigation-rail"), "the rail gives way on " + page);
                assertTrue(browser.visible("[data-action=menu]"), "the menu button on " + page);
            }

            // The drawer opens from the menu button and closes once a page is chosen.
            browser.go("#/");
            browser.click("[data-action=menu]");
            WebElement drawer = browser.find("mdui-navigation-drawer.nav-drawer");
            browser.until("the drawer open", () -> Boolean.TRUE.equals(browser.js("return arguments[0].open", drawer)));
            browser.screenshot("phone-navigation");
            browser.click("mdui-list-item[data-nav=clients]");
            browser.until("the clients page", () -> browser.js("return location.hash").equals("#/clients"));
            browser.until("the drawer closed", () -> Boolean.FALSE.equals(browser.js("return arguments[0].open", drawer)));

            // Rows are cards: every cell is labelled by its column and the search and filters are in view.
            WebElement row = ui.awaitClientStatus(room201, "online");
            browser.until("cells labelled by their column", () -> "Status".equals(browser.js(
                    "return arguments[0].querySelector('td:nth-child(3)').dataset.label", row)));
            assertEquals("grid", browser.js("return getComputedStyle(arguments[0]).display", row));
            for (String css : List.of("[data-field=search]", "mdui-segmented-button[data-filter=pending]",
                    "[data-action=client-menu], tr[data-uuid] mdui-button-icon")) {
                if (!browser.present(css)) {
                    continue;
                }
                Number right = (Number) browser.js("return arguments[0].getBoundingClientRect().right", browser.find(css));
                assertTrue(right.doubleValue() <= 390, css + " ends at " + right + " px, beyond the screen");
            }
            assertNoSidewaysScroll("#/clients");
            browser.screenshot("phone-clients");

            browser.go("#/clients/" + room201 + "?tab=panel-settings-settings");
            WebElement panel = browser.find("classtop-settings-panel");
            browser.until("the settings loaded", () -> !browser.present("#main .loading"));
            assertNoSidewaysScroll("the settings editor");
            browser.screenshot("phone-client-settings");

            // Editing a value: its field and the Save button are whole on the screen.
            browser.click(browser.inShadow(panel, "tr[data-key=bell] [data-action=edit]"));
            for (String css : List.of("tr[data-key=bell] td.value mdui-text-field", "tr[data-key=bell] [data-action=save]")) {
                WebElement part = browser.inShadow(panel, css);
                Number left = (Number) browser.js("return arguments[0].getBoundingClientRect().left", part);
                Number right = (Number) browser.js("return arguments[0].getBoundingClientRect().right", part);
                Number width = (Number) browser.js("return document.documentElement.clientWidth");
                assertTrue(left.doubleValue() >= 0 && right.doubleValue() <= width.doubleValue(),
                        css + " spans " + left + " to " + right + " of " + width + " px");
            }
            assertNoSidewaysScroll("the settings editor while editing");
            browser.click(browser.inShadow(panel, "tr[data-key=bell] [data-action=cancel]"));

            browser.go("#/");
            browser.until("the dashboard", () -> browser.present("[data-stat=online] .stat-value"));
            assertNoSidewaysScroll("#/");
            browser.screenshot("phone-dashboard");
        } finally {
            browser.driver().manage().window().setSize(new Dimension(1280, 900));
        }
    }

    @Test
    @Order(3)
    void theConsoleBuildsAFormFromTheExampleAndKeepsReadsOutOfTheWay() {
        inEnglish();
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/console");
        browser.click("[data-action=add-online]");
        browser.until("the target", () -> browser.present("mdui-chip[data-target='" + room201 + "']"));

        browser.click("mdui-chip[data-command=get_setting]");
        browser.until("the command's description", () -> browser.textNow(".command-description").contains("One setting"));
        WebElement key = browser.find("[data-form=params] mdui-text-field[data-param=key]");
        assertEquals("theme", browser.js("return arguments[0].value", key), "the example's value to start from");
        assertFalse(browser.visible("mdui-text-field[data-field=params]"), "JSON is the advanced mode, not the default");
        browser.type(key, "bell");
        browser.click("[data-action=send]");
        WebElement result = browser.until("the answer", () -> browser.now(
                "[data-result-client='" + room201 + "'][data-outcome=ok]"));
        assertTrue(browser.text(result).contains("bell"), browser.text(result));

        // The advanced mode holds what the form held.
        browser.click("mdui-segmented-button[data-mode=json]");
        browser.until("the JSON of the form", () -> String.valueOf(
                browser.js("return document.querySelector('[data-field=params]').value")).replaceAll("\\s", "")
                .equals("{\"key\":\"bell\"}"));
        browser.click("mdui-segmented-button[data-mode=form]");
        browser.find("[data-form=params] mdui-text-field[data-param=key]");

        // get_setting is declared a read: logged, and shown in the history only when asked for.
        assertTrue(server.api().get("/api/commands?command=get_setting").data().size() >= 1, "the read is logged");
        browser.click("[data-field=history-reads]");
        browser.until("the read shown when asked for", () -> historyShows("get_setting"));
        assertTrue(historyShows("update_settings_batch"), "changes are always shown");
        ui.dismissSnackbars();
        browser.js("document.getElementById('main').scrollTop = 0");
        browser.screenshot("console-form");
        browser.click("[data-field=history-reads]");
        browser.until("the read hidden again", () -> !historyShows("get_setting"));
        assertTrue(historyShows("update_settings_batch"), "changes are always shown");

        browser.go("#/");
        browser.until("recent commands loaded", () -> rowTexts("[data-list=recent-commands] li").contains("update_settings_batch"));
        assertFalse(rowTexts("[data-list=recent-commands] li").contains("get_setting"), "reads are not recent commands");
    }

    /** The next page load is in English, whatever an earlier test left. */
    private static void inEnglish() {
        browser.js("localStorage.setItem('classtop.lang', 'en')");
        browser.open("");
    }

    private static boolean historyShows(String command) {
        return rowTexts("table[data-table=history] tbody tr").contains(command);
    }

    /** The text of every element {@code selector} matches, read in one script: a list that re-renders meanwhile
     * cannot leave the test holding a removed element. */
    private static String rowTexts(String selector) {
        return String.valueOf(browser.js("return Array.from(document.querySelectorAll(arguments[0]))"
                + ".map(e => e.innerText || e.textContent || '').join('\\n')", selector));
    }

    private static void assertNoSidewaysScroll(String where) {
        browser.until(where + " without sideways scrolling", () -> {
            if (Boolean.TRUE.equals(browser.js("const main = document.getElementById('main');"
                    + "return document.documentElement.scrollWidth <= document.documentElement.clientWidth"
                    + " && main.scrollWidth <= main.clientWidth"))) {
                return true;
            }
            System.err.println(where + ": wider than the screen: " + browser.js(
                    "const width = document.documentElement.clientWidth;"
                            + "return [...document.querySelectorAll('#main *')].filter(e => e.getBoundingClientRect().right > width + 1)"
                            + ".slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"
                            + ".join(', ')"));
            return false;
        });
    }
}
