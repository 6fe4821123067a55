package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.classtop.testing.ApiResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.WebElement;

/**
 * The Video page of the bundled video-sources plugin, in the real distribution (its jar, FFmpeg inside) and a
 * real browser: add a lavfi test pattern from the form, see it connected with its fps, open the live view (an
 * MJPEG stream in an img tag, on the session cookie), see the viewer in the subscriber table, get the API's
 * sentence for a duplicate id, follow the language, delete the source.
 */
class VideoPageIT {
    @RegisterExtension
    static final UiSession SESSION = new UiSession("open");

    @Test
    void anAdminAddsWatchesAndDeletesASource() {
        Browser browser = SESSION.browser();
        AdminUi ui = SESSION.ui();
        ui.signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        browser.go("#/page/video-sources/video-sources");
        WebElement page = browser.find("classtop-video-sources");
        browser.until("the empty page", () -> browser.present("classtop-video-sources .empty"));

        browser.type("classtop-video-sources form.add-source input[name=id]", "pattern");
        browser.type("classtop-video-sources form.add-source input[name=url]", "lavfi:testsrc=size=320x240:rate=10");
        browser.click("classtop-video-sources form.add-source button.add");
        browser.until("the source, connected", () -> browser.present("classtop-video-sources section.source[data-id=pattern]")
                && "connected".equals(browser.text("classtop-video-sources section.source[data-id=pattern] .state")));

        browser.click("classtop-video-sources section.source[data-id=pattern] .watch");
        browser.until("the live view shows the 320x240 picture", () -> Long.valueOf(320).equals(
                browser.js("const img = document.querySelector('classtop-video-sources img.live'); return img ? img.naturalWidth : 0;")));
        browser.until("the viewer in the subscriber table",
                () -> browser.present("classtop-video-sources section.source[data-id=pattern] table.subscribers tr[data-kind=mjpeg]"));
        ApiResult status = SESSION.server().api().get("/api/video/pattern/status");
        assertTrue(status.data().path("subscribers").asInt() >= 1, status.toString());

        String duplicate = SESSION.server().api().post("/api/video/sources",
                Map.of("id", "pattern", "url", "lavfi:testsrc")).error();
        browser.type("classtop-video-sources form.add-source input[name=id]", "pattern");
        browser.type("classtop-video-sources form.add-source input[name=url]", "lavfi:testsrc");
        browser.click("classtop-video-sources form.add-source button.add");
        browser.until("the API's sentence under the form",
                () -> duplicate.equals(browser.text("classtop-video-sources .form-error")));

        ui.switchLanguage("zh-CN");
        try {
            browser.until("the page in Chinese", () -> "视频源".equals(browser.text("classtop-video-sources h2")));
            browser.until("the state in Chinese",
                    () -> "已连接".equals(browser.text("classtop-video-sources section.source[data-id=pattern] .state")));
        } finally {
            ui.switchLanguage("en");
        }
        browser.until("English again", () -> "Video sources".equals(browser.text("classtop-video-sources h2")));

        browser.js("window.confirm = () => true;");
        browser.click("classtop-video-sources section.source[data-id=pattern] .remove");
        browser.until("the source gone", () -> browser.present("classtop-video-sources .empty"));
        assertEquals(404, SESSION.server().api().get("/api/video/pattern/status").status());
        assertTrue(page.isDisplayed());
    }
}
