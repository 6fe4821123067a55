package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
 * The Plugins page against the real distribution's server, started without the bundled cluster-monitor plugin and
 * with a 2 MiB upload limit: an admin installs its jar through the page's file input, is refused the same jar again,
 * upgrades it to a higher Plugin-Version, disables, enables, configures and removes it with its data; a second page,
 * open as a viewer, drops and adds the plugin's navigation entry and page as it happens, without a reload, and shows
 * the viewer no admin controls and no setting values. A jar that is not a plugin is refused with the server's
 * sentence; one over the limit is refused by the page before it is sent.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginsPageUiIT {
    static final String PLUGIN = "cluster-monitor";
    static final String VIEWER = "teacher-viewer";
    static final String VIEWER_PASSWORD = "viewer password 1234";
    static final String CARD = "mdui-card[data-plugin='" + PLUGIN + "']";
    static final String NAV = "mdui-navigation-rail-item[data-nav='page:" + PLUGIN + "/" + PLUGIN + "']";
    static final String PANEL = "classtop-cluster-monitor";
    /** --plugin-max-bytes: 2 MiB (the cluster-monitor jar is far smaller). */
    static final long MAX_BYTES = 2L * 1024 * 1024;
    /** A table cluster-monitor's migration creates: a purge drops it. */
    static final String TABLE = "cluster_monitor_restarts";

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
        assertTrue(Files.size(pluginJar) < MAX_BYTES / 2, PLUGIN + " fits well under the limit");
        server = UiServer.start(work, "open", "--plugins", plugins.toString(),
                "--plugin-max-bytes", String.valueOf(MAX_BYTES));
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

    /** The text of the snackbars shown now. */
    static List<String> snackbars() {
        Object texts = admin.js("return [...document.querySelectorAll('mdui-snackbar.snackbar')]"
                + ".map(s => s.textContent.trim())");
        List<String> list = new ArrayList<>();
        if (texts instanceof List<?> items) {
            items.forEach(item -> list.add(String.valueOf(item)));
        }
        return list;
    }

    /** Whether the server's SQLite database has the table (read-only, next to the running server). */
    static boolean tableExists(String table) {
        Path db = work.resolve("server-data").resolve("classtop.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:file:" + db + "?mode=ro");
             ResultSet tables = connection.getMetaData().getTables(null, null, table, null)) {
            return tables.next();
        } catch (SQLException e) {
            throw new AssertionError("Could not read " + db + ": " + e, e);
        }
    }

    /** A copy of the jar whose MANIFEST says Plugin-Version {@code version} (PF4J reads the version there). */
    static Path withVersion(Path jar, String version) throws IOException {
        Path copy = work.resolve(PLUGIN + "-" + version + ".jar");
        try (JarFile source = new JarFile(jar.toFile())) {
            Manifest manifest = new Manifest(source.getManifest());
            manifest.getMainAttributes().put(new Attributes.Name("Plugin-Version"), version);
            try (OutputStream out = Files.newOutputStream(copy); JarOutputStream target = new JarOutputStream(out, manifest)) {
                for (JarEntry entry : Collections.list(source.entries())) {
                    if (entry.getName().equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
                        continue;
                    }
                    target.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(target);
                    }
                    target.closeEntry();
                }
            }
        }
        return copy;
    }

    /** The refusal shown under the upload button (waits for one). */
    static String uploadError(String what) {
        return admin.until(what, () -> {
            String text = admin.textNow("[data-upload-error]");
            return text.isEmpty() ? null : text;
        });
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
    void aJarOverTheServersLimitIsRefusedBeforeItIsSent() throws IOException {
        assertEquals(MAX_BYTES, server.api().get("/api/system/status").data().path("plugin_max_bytes").asLong(),
                "GET /api/system/status tells the page the limit");
        openPluginsPage(admin);
        admin.js("document.querySelector('[data-upload-error]').textContent = ''");
        Path big = work.resolve("big.jar");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(3 * 1024 * 1024); // sparse: never read, since the page does not send it
        }
        upload(big);
        // The page's own sentence: the server's 413 would say "The upload is larger than the limit of ... bytes".
        assertEquals("\"big.jar\" is 3 MiB; this server accepts plugin jars of up to 2 MiB (--plugin-max-bytes).",
                uploadError("the refusal of the jar over the limit"));
        assertFalse(installedIds().contains(PLUGIN), "nothing installed");
        Files.delete(big);
    }

    @Test
    @Order(3)
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
    @Order(4)
    void theSameJarAgainIsRefusedWithTheServersSentence() {
        openPluginsPage(admin);
        String version = entry(PLUGIN).path("version").asText();
        upload(pluginJar);
        assertEquals("Plugin '" + PLUGIN + "' " + version + " is already installed; upload a higher Plugin-Version to upgrade.",
                uploadError("the 409 refusal of the same jar"));
        assertEquals(version, entry(PLUGIN).path("version").asText(), "the installed version is unchanged");
        assertEquals("", admin.textNow("[data-upload-result]"), "no success sentence");
    }

    @Test
    @Order(5)
    void aHigherPluginVersionUpgradesThePlugin() throws IOException {
        String from = entry(PLUGIN).path("version").asText();
        String[] parts = from.split("[.-]");
        String to = (Integer.parseInt(parts[0]) + 1) + ".0.0";
        Path higher = withVersion(pluginJar, to);

        openPluginsPage(admin);
        upload(higher);
        admin.until("the upgraded sentence", () ->
                ("Plugin " + PLUGIN + " upgraded " + from + " → " + to + ".").equals(admin.textNow("[data-upload-result]")));
        assertEquals("", admin.textNow("[data-upload-error]"), "no refusal");
        admin.until("the card shows " + to, () -> to.equals(admin.textNow(CARD + " [data-plugin-version]")));
        admin.until(PLUGIN + " started after the upgrade", () -> "started".equals(cardState()));
        JsonNode upgraded = entry(PLUGIN);
        assertEquals(to, upgraded.path("version").asText(), "GET /api/plugins: " + upgraded);
        assertEquals("started", upgraded.path("state").asText(), "GET /api/plugins: " + upgraded);
        assertEquals(200, server.api().get("/api/servers").status(), "the upgraded plugin's route answers");
    }

    @Test
    @Order(6)
    void theViewerSeesThePluginsButNoAdminControls() {
        openPluginsPage(viewer);
        viewer.find(CARD);
        assertFalse(viewer.present("input[data-field=plugin-jar]"), "no upload for a viewer");
        assertFalse(viewer.present("[data-action=toggle-plugin]"), "no switch for a viewer");
        assertFalse(viewer.present("[data-action=remove-plugin]"), "no remove for a viewer");
        Object prevented = viewer.js("const data = new DataTransfer();"
                + " data.items.add(new File(['not for a viewer'], 'dropped.jar', {type: 'application/java-archive'}));"
                + " const drop = new DragEvent('drop', {dataTransfer: data, bubbles: true, cancelable: true});"
                + " document.querySelector('#main h1').dispatchEvent(drop); return drop.defaultPrevented;");
        assertEquals(Boolean.TRUE, prevented, "a file dropped on a viewer's page is not opened by the browser");
    }

    @Test
    @Order(7)
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
    @Order(8)
    void theSettingsFormShowsARefusalNextToItsFieldAndSavesAChange() {
        String refusal = server.api().put("/api/plugins/" + PLUGIN + "/settings",
                java.util.Map.of("values", java.util.Map.of("POLL_INTERVAL", "soon"))).error();
        assertTrue(refusal != null && refusal.contains("POLL_INTERVAL"), "the API names the setting: " + refusal);

        openPluginsPage(admin);
        String form = CARD + " form[data-settings-form='" + PLUGIN + "']";
        admin.click(CARD + " details.settings-section > summary");
        admin.type(form + " mdui-text-field[data-setting=POLL_INTERVAL]", "soon");
        admin.click(form + " [data-action=save-settings]");
        admin.until("the refusal under POLL_INTERVAL",
                () -> refusal.equals(admin.textNow(form + " [data-setting-error=POLL_INTERVAL]")));

        admin.type(form + " mdui-text-field[data-setting=POLL_INTERVAL]", "2s");
        admin.click(form + " [data-action=save-settings]");
        admin.until("the plugin reloaded with the new value", () ->
                "Saved; the plugin was reloaded.".equals(admin.textNow(form + " [data-settings-result]")));
        admin.until(PLUGIN + " started after the reload", () -> "started".equals(cardState()));
        new AdminUi(admin).dismissSnackbars();
        admin.js("arguments[0].scrollIntoView({block: 'start'})", admin.find(CARD + " details.settings-section"));
        admin.screenshot("plugins-settings");
        String stored = null;
        for (JsonNode setting : entry(PLUGIN).path("settings")) {
            if ("POLL_INTERVAL".equals(setting.path("name").asText())) {
                stored = setting.path("value").asText();
            }
        }
        assertEquals("2s", stored, "GET /api/plugins shows the saved value");
    }

    @Test
    @Order(9)
    void theViewerSeesWhatEachSettingIsForButNoValue() {
        openPluginsPage(viewer);
        viewer.find(CARD);
        assertFalse(viewer.present(CARD + " form[data-settings-form]"), "no settings form for a viewer");
        assertFalse(viewer.present(CARD + " [data-setting]"), "no setting control for a viewer");
        viewer.click(CARD + " details.settings-section > summary");
        String info = viewer.text(CARD + " [data-setting-info=POLL_INTERVAL]");
        assertTrue(info.endsWith("Default: 5"), "the default, not the stored value: " + info);
        assertFalse(viewer.text(CARD + " [data-settings-list]").contains("2s"), "the stored 2s is not shown");
    }

    @Test
    @Order(10)
    void removingAsksFirstAndTheCardAndPageLeave() {
        viewer.go("#/dashboard");
        viewer.until("the plugin's page in the viewer's navigation", () -> viewer.present(NAV));
        new AdminUi(viewer).markPage();

        assertTrue(tableExists(TABLE), PLUGIN + "'s migration created " + TABLE);
        openPluginsPage(admin);
        new AdminUi(admin).dismissSnackbars();
        admin.click("[data-action=remove-plugin][data-plugin-id='" + PLUGIN + "']");
        admin.find("mdui-dialog.remove-plugin-dialog[open]");
        assertEquals("uploaded", admin.find("mdui-dialog.remove-plugin-dialog [data-remove-text]")
                .getDomAttribute("data-remove-text"), "an uploaded plugin's jar is deleted");
        admin.click("mdui-dialog.remove-plugin-dialog mdui-checkbox[data-field=purge]");
        admin.click("mdui-dialog.remove-plugin-dialog [data-action=confirm-remove]");
        admin.until("the card gone", () -> admin.now(CARD) == null);
        admin.until("the removed-with-its-data sentence", () ->
                snackbars().contains("Plugin " + PLUGIN + " removed with its data."));
        assertFalse(installedIds().contains(PLUGIN), "GET /api/plugins no longer lists " + PLUGIN);
        assertFalse(tableExists(TABLE), "the purge dropped " + TABLE);
        assertEquals(404, server.api().get("/api/servers").status(), "a removed plugin's route answers 404");

        viewer.until("the plugin's page gone from the viewer's navigation", () -> !viewer.present(NAV));
        new AdminUi(viewer).assertNotReloaded();
    }
}
