package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.classtop.testing.ApiResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

/**
 * The Plugins page against the real distribution's server, started without the bundled cluster-monitor plugin: an
 * admin installs its jar through the page's file input, disables, enables and removes it; a second page, open as a
 * viewer, drops and adds the plugin's navigation entry and page as it happens, without a reload, and shows the
 * viewer no admin controls. A jar that is not a plugin is refused with the server's sentence.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginsPageUiIT {
    static final String PLUGIN = "cluster-monitor";
    static final String VIEWER = "teacher-viewer";
    static final String VIEWER_PASSWORD = "viewer password 1234";
    static final String CARD = "mdui-card[data-plugin='" + PLUGIN + "']";
    static final String NAV = "mdui-navigation-rail-item[data-nav='page:" + PLUGIN + "/" + PLUGIN + "']";
    static final String PANEL = "classtop-cluster-monitor";

    static Path work;
    static Path pluginJar;
    static UiServer server;
    static Browser admin;
    static Browser viewer;

    @BeforeAll
    static void startWithoutTheClusterMonitor() throws IOException {
        work = Files.createTempDirectory("classtop-plugins-ui-");
        Path plugins = Files.createDirectories(work.resolve("plugins"));
        Path bundled = Path.of(System.getProperty("classtop.dist.dir")).resolve("plugins");
        try (Stream<Path> files = Files.list(bundled)) {
            for (Path file : files.toList()) {
                if (file.getFileName().toString().startsWith(PLUGIN + "-")) {
                    pluginJar = file;
                } else if (Files.isRegularFile(file)) {
                    Files.copy(file, plugins.resolve(file.getFileName()));
                }
            }
        }
        assertTrue(pluginJar != null, "the distribution bundles " + PLUGIN + " in " + bundled);
        server = UiServer.start(work, "open", "--plugins", plugins.toString());
        server.addUser(VIEWER, VIEWER_PASSWORD, "viewer");
        admin = Browser.start(server.url(), "en-US");
        viewer = Browser.start(server.url(), "en-US");
        new AdminUi(admin).signIn(UiServer.ADMIN, UiServer.ADMIN_PASSWORD);
        new AdminUi(viewer).signIn(VIEWER, VIEWER_PASSWORD);
    }

    @AfterEach
    void noScriptErrors() {
        assertEquals(List.of(), admin.scriptErrors(), "script errors in the admin's page");
        assertEquals(List.of(), viewer.scriptErrors(), "script errors in the viewer's page");
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable resource : new AutoCloseable[] {admin, viewer, server}) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception e) {
                System.err.println("Could not stop " + resource + ": " + e);
            }
        }
        try (Stream<Path> files = Files.walk(work)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    static void openPluginsPage(Browser browser) {
        browser.go("#/plugins");
        browser.find("[data-list=plugins] mdui-card[data-plugin]");
    }

    /** Chooses a file in the page's (hidden) file input, as the file picker would. */
    static void upload(Path file) {
        WebElement input = admin.find("input[data-field=plugin-jar]");
        input.sendKeys(file.toAbsolutePath().toString());
    }

    static String cardState() {
        WebElement card = admin.now(CARD);
        return card == null ? null : card.getDomAttribute("data-state");
    }

    static List<String> installedIds() {
        ApiResult list = server.api().get("/api/plugins");
        assertEquals(200, list.status(), "GET /api/plugins: " + list);
        List<String> ids = new ArrayList<>();
        list.data().forEach(p -> ids.add(p.path("id").asText()));
        return ids;
    }

    static JsonNode entry(String id) {
        ApiResult list = server.api().get("/api/plugins");
        assertEquals(200, list.status(), "GET /api/plugins: " + list);
        for (JsonNode p : list.data()) {
            if (id.equals(p.path("id").asText())) {
                return p;
            }
        }
        throw new AssertionError("GET /api/plugins does not list " + id + ": " + list);
    }

    @Test
    @Order(1)
    void aJarThatIsNotAPluginIsRefusedWithTheServersSentence() throws IOException {
        openPluginsPage(admin);
        List<String> before = installedIds();
        Path fake = Files.writeString(work.resolve("notes.jar"), "These are my notes, not a plugin.\n",
                StandardCharsets.UTF_8);
        upload(fake);
        String shown = admin.until("the refusal under the upload button", () -> {
            String text = admin.textNow("[data-upload-error]");
            return text.isEmpty() ? null : text;
        });
        assertEquals("The upload is not a jar file.", shown);
        assertEquals(before, installedIds(), "nothing installed changed");
        assertNull(admin.now(CARD));

        // The same, dropped onto the page (a drop event carrying a file, as the browser sends it).
        admin.js("document.querySelector('[data-upload-error]').textContent = ''");
        admin.js("const data = new DataTransfer();"
                + " data.items.add(new File(['Dropped notes, not a plugin.'], 'dropped.jar', {type: 'application/java-archive'}));"
                + " const main = document.querySelector('#main h1');"
                + " for (const type of ['dragenter', 'dragover', 'drop']) {"
                + "   main.dispatchEvent(new DragEvent(type, {dataTransfer: data, bubbles: true, cancelable: true})); }");
        admin.until("the refusal of the dropped file",
                () -> "The upload is not a jar file.".equals(admin.textNow("[data-upload-error]")));
        assertEquals(before, installedIds(), "nothing installed changed");
    }

    @Test
    @Order(2)
    void anUploadedJarStartsAndItsPageAppearsInAnotherOpenPage() {
        viewer.go("#/dashboard");
        new AdminUi(viewer).markPage();
        assertFalse(viewer.present(NAV), "no " + PLUGIN + " page before the upload");

        openPluginsPage(admin);
        upload(pluginJar);
        admin.until(PLUGIN + " started on the page", () -> "started".equals(cardState()));
        String version = entry(PLUGIN).path("version").asText();
        admin.until("the installed sentence", () ->
                ("Plugin " + PLUGIN + " " + version + " installed.").equals(admin.textNow("[data-upload-result]")));
        assertTrue(admin.find(CARD).getDomAttribute("class").contains("plugin-card-new"), "the new card is highlighted");
        assertEquals("Uploaded", admin.text(CARD + " [data-plugin-origin]"));
        new AdminUi(admin).dismissSnackbars();
        admin.driver().manage().window().setSize(new Dimension(1280, 1600));
        try {
            admin.js("document.getElementById('main').scrollTop = 0");
            admin.screenshot("plugins-page");
        } finally {
            admin.driver().manage().window().setSize(new Dimension(1280, 900));
        }

        viewer.until("the plugin's page in the viewer's navigation", () -> viewer.present(NAV));
        viewer.click(NAV);
        viewer.find(PANEL);
        new AdminUi(viewer).assertNotReloaded();
    }

    @Test
    @Order(3)
    void theViewerSeesThePluginsButNoAdminControls() {
        openPluginsPage(viewer);
        viewer.find(CARD);
        assertFalse(viewer.present("input[data-field=plugin-jar]"), "no upload for a viewer");
        assertFalse(viewer.present("[data-action=toggle-plugin]"), "no switch for a viewer");
        assertFalse(viewer.present("[data-action=remove-plugin]"), "no remove for a viewer");
    }

    @Test
    @Order(4)
    void disablingDropsThePluginsPageFromAnotherOpenPageAndEnablingBringsItBack() {
        viewer.go("#/page/" + PLUGIN + "/" + PLUGIN);
        viewer.find(PANEL);
        new AdminUi(viewer).markPage();

        openPluginsPage(admin);
        admin.click("mdui-switch[data-action=toggle-plugin][data-plugin-id='" + PLUGIN + "']");
        admin.until(PLUGIN + " disabled on the page", () -> "disabled".equals(cardState()));
        assertEquals(404, server.api().get("/api/servers").status(), "a disabled plugin's route answers 404");

        viewer.until("the plugin's page gone from the viewer's navigation and page",
                () -> !viewer.present(NAV) && !viewer.present(PANEL) && viewer.present("#main .placeholder.error-text"));
        new AdminUi(viewer).assertNotReloaded();

        admin.click("mdui-switch[data-action=toggle-plugin][data-plugin-id='" + PLUGIN + "']");
        admin.until(PLUGIN + " started again on the page", () -> "started".equals(cardState()));
        assertEquals(200, server.api().get("/api/servers").status(), "the route is back");
        viewer.until("the plugin's page back in the viewer's navigation and page",
                () -> viewer.present(NAV) && viewer.present(PANEL));
        new AdminUi(viewer).assertNotReloaded();
    }

    @Test
    @Order(5)
    void removingAsksFirstAndTheCardAndPageLeave() {
        viewer.go("#/dashboard");
        viewer.until("the plugin's page in the viewer's navigation", () -> viewer.present(NAV));
        new AdminUi(viewer).markPage();

        openPluginsPage(admin);
        admin.click("[data-action=remove-plugin][data-plugin-id='" + PLUGIN + "']");
        admin.find("mdui-dialog.remove-plugin-dialog[open]");
        admin.click("mdui-dialog.remove-plugin-dialog mdui-checkbox[data-field=purge]");
        admin.click("mdui-dialog.remove-plugin-dialog [data-action=confirm-remove]");
        admin.until("the card gone", () -> admin.now(CARD) == null);
        assertFalse(installedIds().contains(PLUGIN), "GET /api/plugins no longer lists " + PLUGIN);
        assertEquals(404, server.api().get("/api/servers").status(), "a removed plugin's route answers 404");

        viewer.until("the plugin's page gone from the viewer's navigation", () -> !viewer.present(NAV));
        new AdminUi(viewer).assertNotReloaded();
    }
}
