package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.classtop.testing.ApiResult;
import org.classtop.testing.FakeAgent;
import org.classtop.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The core's UI kit ({@code /ui/kit.js}) as a plugin panel uses it, in the real distribution and a real browser:
 * the settings panel shows the API's sentence through the kit's {@code api}, follows the shell's language and
 * reloads on a live event through {@code onEvent}; a subscription owned by an element ends with the element.
 * The client is a scripted {@link FakeAgent}, so the test decides what its settings command answers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PanelKitIT {
    @RegisterExtension
    static final UiSession SESSION = new UiSession("open");

    static final String LOCKED = "The settings file is locked by another program.";

    static UiServer server;
    static Browser browser;
    static AdminUi ui;
    static FakeAgent agent;
    static final Map<String, String> settings = new ConcurrentHashMap<>(Map.of("volume", "60"));
    static volatile boolean failing = true;

    @BeforeAll
    static void startAFakeClient() {
        server = SESSION.server();
        browser = SESSION.browser();
        ui = SESSION.ui();
        agent = new FakeAgent(UUID.randomUUID().toString()).on("get_all_settings", params -> {
            if (failing) {
                throw new FakeAgent.Failure(LOCKED);
            }
            return Map.of("settings", Map.copyOf(settings));
        });
        agent.register(server.url().replaceFirst("^http", "ws") + "/ws/" + agent.uuid(), "Kit PC", Map.of());
        Poll.until("the fake client online", Duration.ofSeconds(20), () -> server.lms().isOnline(agent.uuid()));
    }

    @AfterAll
    static void stopTheFakeClient() {
        if (agent != null) {
            agent.close();
        }
    }

    /** The settings tab of the fake client, opened in the page. */
    static WebElement settingsPanel() {
        browser.go("#/clients/" + agent.uuid() + "?tab=panel-settings-settings");
        return browser.find("classtop-settings-panel");
    }

    /** The agent tells the server its settings changed: the server publishes settings.changed on the live feed. */
    static void announceChange() {
        agent.sendJson(Map.of("type", "event", "event", "settings.changed", "data", Map.of("keys", List.of("volume"))));
    }

    @Test
    @Order(1)
    void theSettingsPanelShowsTheApiSentenceFromTheKitAndLoadsOnRetry() {
        ApiResult refused = server.api().get("/api/settings/" + agent.uuid());
        assertEquals(LOCKED, refused.error(), "the API passes the agent's sentence on: " + refused);

        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        WebElement panel = settingsPanel();
        String shown = browser.until("the load error in the panel", () -> {
            WebElement box = browser.inShadowNow(panel, "[role=alert]");
            String text = box == null ? "" : browser.text(box);
            return text.isEmpty() ? null : text;
        });
        assertTrue(shown.contains("The settings could not be loaded: " + LOCKED), shown);

        failing = false;
        browser.click(browser.inShadow(panel, "[data-action=retry]"));
        browser.until("volume = 60 in the table",
                () -> "60".equals(browser.text(browser.inShadowNow(panel, "tr[data-key=volume] td.value"))));
    }

    @Test
    @Order(2)
    void theLanguageSwitchChangesThePanelsTextAndTheKitsLanguage() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        WebElement panel = settingsPanel();
        browser.until("the table's header in English",
                () -> "Key".equals(browser.text(browser.inShadowNow(panel, "thead th"))));
        String dictionary = "{en: {hello: 'Hello {name}', n: {one: '{n} client', other: '{n} clients'}},"
                + " 'zh-CN': {hello: '你好 {name}', n: '{n} 个客户端'}}";
        String probe = "import('/ui/kit.js').then((kit) => { const d = " + dictionary + ";"
                + " arguments[0]([kit.lang(), kit.t(d, 'hello', {name: 'Ada'}), kit.t(d, 'n', {n: 2}), kit.t(d, 'missing')]); },"
                + " (error) => arguments[0](['failed', String(error)]));";
        assertEquals(List.of("en", "Hello Ada", "2 clients", "missing"), browser.jsAsync(probe));

        ui.switchLanguage("zh-CN");
        try {
            browser.until("the table's header in Chinese",
                    () -> "键".equals(browser.text(browser.inShadowNow(panel, "thead th"))));
            assertEquals(List.of("zh-CN", "你好 Ada", "2 个客户端", "missing"), browser.jsAsync(probe));
        } finally {
            ui.switchLanguage("en");
        }
        browser.until("the table's header in English again",
                () -> "Key".equals(browser.text(browser.inShadowNow(panel, "thead th"))));
    }

    @Test
    @Order(3)
    void aLiveEventUpdatesThePanelAndASubscriptionEndsWithItsElement() {
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        failing = false;
        WebElement panel = settingsPanel();
        browser.until("volume in the table", () -> browser.inShadowNow(panel, "tr[data-key=volume] td.value") != null);

        // The panel's onEvent('settings.changed') reloads it.
        settings.put("volume", "75");
        announceChange();
        browser.until("volume = 75 in the table after the event",
                () -> "75".equals(browser.text(browser.inShadowNow(panel, "tr[data-key=volume] td.value"))));

        // One subscription owned by an element, one not; the element leaves the page.
        Object subscribed = browser.jsAsync("import('/ui/kit.js').then((kit) => {"
                + " const owner = document.createElement('div'); document.body.append(owner);"
                + " window.kitTest = {owner, owned: 0, control: 0, probe: 0};"
                + " kit.onEvent('settings.*', () => { window.kitTest.owned += 1; }, owner);"
                + " window.kitTest.stopControl = kit.onEvent('settings.changed', () => { window.kitTest.control += 1; });"
                + " arguments[0](true); }, (error) => arguments[0](String(error)));");
        assertEquals(true, subscribed);
        announceChange();
        browser.until("both subscriptions called", () -> count("owned") == 1 && count("control") == 1);

        browser.js("window.kitTest.owner.remove()");
        announceChange();
        browser.until("the control subscription called again", () -> count("control") == 2);
        assertEquals(1, count("owned"), "the removed element's subscription was dropped");

        // The function onEvent returned unsubscribes; a new subscription sees the next event.
        browser.jsAsync("import('/ui/kit.js').then((kit) => { window.kitTest.stopControl();"
                + " kit.onEvent('settings.changed', () => { window.kitTest.probe += 1; }); arguments[0](true); });");
        announceChange();
        browser.until("the probe subscription called", () -> count("probe") == 1);
        assertEquals(2, count("control"), "the unsubscribed handler was not called");
        assertEquals(1, count("owned"));
    }

    @Test
    @Order(4)
    void theMediaServersPageShowsTheApiSentenceFromTheKitAndFollowsTheLanguage() {
        Map<String, Object> encoder = Map.of("id", "enc-kit", "name", "Kit encoder", "host", "127.0.0.1", "port", 9);
        ApiResult added = server.api().post("/api/servers", encoder);
        assertTrue(added.status() == 200 || added.status() == 201, added.toString());
        String duplicate = server.api().post("/api/servers", encoder).error();
        assertTrue(duplicate != null && !duplicate.isEmpty(), "adding the same id again is refused with a sentence");

        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/page/cluster-monitor/cluster-monitor");
        WebElement page = browser.find("classtop-cluster-monitor");
        browser.until("the encoder in the table", () -> browser.text(browser.inShadow(page, "table")).contains("Kit encoder"));

        browser.click(browser.inShadow(page, "header mdui-button[icon=add]"));
        browser.type(browser.inShadow(page, "mdui-text-field[name=id]"), "enc-kit");
        browser.type(browser.inShadow(page, "mdui-text-field[name=host]"), "127.0.0.1");
        browser.type(browser.inShadow(page, "mdui-text-field[name=port]"), "9");
        browser.click(browser.inShadow(page, "form mdui-button[variant=filled]"));
        browser.until("the API's sentence under the form",
                () -> duplicate.equals(browser.text(browser.inShadowNow(page, "form .error-text"))));

        ui.switchLanguage("zh-CN");
        try {
            browser.until("the page in Chinese", () -> "最近的重启".equals(browser.text(browser.inShadowNow(page, "section h3"))));
            assertEquals("enc-kit", browser.js("return arguments[0].shadowRoot.querySelector('mdui-text-field[name=id]').value",
                    page), "the open form keeps what was typed");
        } finally {
            ui.switchLanguage("en");
        }
        browser.until("the page in English again",
                () -> "Recent restarts".equals(browser.text(browser.inShadowNow(page, "section h3"))));
    }

    private static long count(String name) {
        return ((Number) browser.js("return window.kitTest." + name)).longValue();
    }
}
