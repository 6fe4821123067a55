package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.classtop.dist.ui.AdminUi;
import org.classtop.dist.ui.Browser;
import org.classtop.dist.ui.UiServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The "Management server" dashboard card in a real browser (headless Chromium) on a real LMS from the
 * distribution that reports to a stand-in centre: registered, the outbox growing while the centre is down and
 * draining when it is back, in English and Chinese; and no card at all on an LMS without --management-url.
 */
class ManagementSyncCardUiIT {
    private static final String CARD = "classtop-management-sync-site";

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    private static String card(Browser browser) {
        return browser.present(CARD) ? browser.textNow(CARD) : "";
    }

    @Test
    void theCardShowsTheLinkAndTheOutboxAndIsAbsentWithoutACentre() throws Exception {
        java.nio.file.Files.createDirectories(work.resolve("with-centre"));
        java.nio.file.Files.createDirectories(work.resolve("no-centre"));
        String token = LmsServer.randomToken();
        StandInCentre centre = started.track(new StandInCentre(token));
        UiServer server = started.track(UiServer.start(work.resolve("with-centre"), "open", "--management-url", centre.url(),
                "--management-token", token, "--management-interval", "1"));
        Browser browser = started.track(Browser.start(server.url(), "en-US"));
        AdminUi ui = new AdminUi(browser);
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);

        browser.until("the card registered and live",
                () -> card(browser).matches("(?s).*Registered\\s+yes.*Live link\\s+yes.*"));
        assertTrue(card(browser).contains(centre.url()), card(browser));

        centre.stop();
        server.startOnlineAgent("Room 301");
        browser.until("the outbox owed while the centre is down", () -> card(browser).contains("cannot be reached")
                && !card(browser).matches("(?s).*Outbox\\s+0 of.*"));
        browser.screenshot("management-sync-card-centre-down");

        ui.switchLanguage("zh-CN");
        browser.until("the card in Chinese", () -> card(browser).contains("待发送"));
        ui.switchLanguage("en");

        centre.start();
        browser.until("the outbox drained", () -> card(browser).matches("(?s).*Outbox\\s+0 of at most 10000.*"));
        assertEquals(List.of(), browser.scriptErrors(), "script errors in the page");

        UiServer plain = started.track(UiServer.start(work.resolve("no-centre"), "open"));
        Browser other = started.track(Browser.start(plain.url(), "en-US"));
        new AdminUi(other).signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        other.until("the card element rendered its answer", () -> Boolean.TRUE.equals(other.js(
                "const el = document.querySelector('" + CARD + "'); return !!el && el.textContent.length > 0;")));
        assertEquals(Boolean.FALSE, other.js("const card = document.querySelector('" + CARD + "').closest('.panel-card');"
                + " return card ? getComputedStyle(card).display !== 'none' : true;"), "no card without a centre");
        assertEquals(List.of(), other.scriptErrors(), "script errors in the page");
    }
}
