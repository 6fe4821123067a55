package org.classtop.plugins.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.classtop.api.server.ServerBinder;
import org.classtop.api.server.UiPanelBuilder;
import org.junit.jupiter.api.Test;

/**
 * The two panels the settings plugin declares, and their scripts in the jar: the shell and the browser
 * tests rely on the element names, the slots and the DOM hooks named here.
 */
class SettingsPanelsTest {
    /** What one {@code uiPanel(..)...register()} declared. */
    private static final class Panel {
        final String name;
        final Map<String, Object> values = new LinkedHashMap<>();
        final Map<String, String> titles = new LinkedHashMap<>();
        final List<String> whenClientHas = new ArrayList<>();
        boolean registered;

        Panel(String name) {
            this.name = name;
        }
    }

    /** Runs configure() against a binder that records the panels and ignores everything else. */
    private static Map<String, Panel> declaredPanels() {
        Map<String, Panel> panels = new LinkedHashMap<>();
        ServerBinder binder = (ServerBinder) Proxy.newProxyInstance(ServerBinder.class.getClassLoader(),
                new Class<?>[] {ServerBinder.class}, (proxy, method, args) -> {
                    if (method.getName().equals("uiPanel")) {
                        Panel panel = new Panel((String) args[0]);
                        panels.put(panel.name, panel);
                        return recorder(panel);
                    }
                    return method.getReturnType().isInterface() ? fluent(method.getReturnType()) : null;
                });
        new SettingsServerPlugin().configure(binder);
        return panels;
    }

    private static UiPanelBuilder recorder(Panel panel) {
        return (UiPanelBuilder) Proxy.newProxyInstance(UiPanelBuilder.class.getClassLoader(),
                new Class<?>[] {UiPanelBuilder.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "register" -> panel.registered = true;
                        case "title" -> panel.titles.put(args.length == 1 ? "en" : (String) args[0],
                                (String) args[args.length - 1]);
                        case "whenClientHas" -> panel.whenClientHas.add((String) args[0]);
                        default -> panel.values.put(method.getName(), args == null ? null : args[0]);
                    }
                    return method.getReturnType() == void.class ? null : proxy;
                });
    }

    /** A builder whose every call returns itself (routes, listeners). */
    private static Object fluent(Class<?> type) {
        return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> method.getReturnType().isInstance(proxy) ? proxy : null);
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = SettingsPanelsTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(in, path + " is in the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void declaresTheClientTabAndTheBatchAction() {
        Map<String, Panel> panels = declaredPanels();
        assertEquals(List.of("settings", "settings-batch"), List.copyOf(panels.keySet()));

        Panel tab = panels.get("settings");
        assertTrue(tab.registered);
        assertEquals("static/settings/panel.js", tab.values.get("script"));
        assertEquals("classtop-settings-panel", tab.values.get("element"));
        assertEquals("client-detail", tab.values.get("slot"));
        assertEquals(Map.of("en", "Settings", "zh-CN", "设置"), tab.titles);
        assertEquals(List.of("get_all_settings"), tab.whenClientHas);

        Panel batch = panels.get("settings-batch");
        assertTrue(batch.registered);
        assertEquals("static/settings/batch.js", batch.values.get("script"));
        assertEquals("classtop-settings-batch", batch.values.get("element"));
        assertEquals("clients-batch", batch.values.get("slot"));
        assertEquals(Map.of("en", "Change settings", "zh-CN", "修改设置"), batch.titles);
        assertTrue(batch.whenClientHas.isEmpty());
    }

    @Test
    void theScriptsShareOneModuleAndKeepTheirTestHooks() throws IOException {
        String common = resource("static/settings/common.js");
        String panel = resource("static/settings/panel.js");
        String batch = resource("static/settings/batch.js");
        assertFalse(common.contains("function api(") || common.contains("fetch("), "the API call is the core kit's");
        assertFalse(common.contains("navigator.language"), "the language is the core kit's");
        for (String script : List.of(panel, batch)) {
            assertTrue(script.contains("from './common.js'"), "relative import of the shared module");
            assertTrue(script.contains("from '/ui/kit.js'"), "the core's UI kit for the API and the language");
            assertFalse(script.contains("fetch(") || script.contains("sessionStorage"), "no copy of the kit's API call");
            assertFalse(script.contains("innerHTML"), "API text is never inserted as HTML");
            assertFalse(script.contains("http://") || script.contains("https://"), "nothing from another server");
        }
        assertTrue(panel.contains("customElements.define(TAG") && panel.contains("'classtop-settings-panel'"));
        assertTrue(batch.contains("customElements.define(TAG") && batch.contains("'classtop-settings-batch'"));
        for (String hook : List.of("'data-key': key", "class: 'value'", "'data-action': 'edit'", "name: 'value'",
                "'data-action': 'save'", "'data-action': 'cancel'", "name: 'new-key'", "name: 'new-value'",
                "'data-action': 'add'", "onEvent('settings.changed'", "onReconnect(", "this.unsubscribe?.()")) {
            assertTrue(panel.contains(hook), "panel.js keeps " + hook);
        }
        for (String hook : List.of("name: 'key'", "name: 'value'", "'data-action': 'add-row'", "'data-action': 'apply'",
                "'data-client': uuid", "class: 'outcome", "new CustomEvent('classtop-close', { bubbles: true, composed: true })")) {
            assertTrue(batch.contains(hook), "batch.js keeps " + hook);
        }
    }
}
