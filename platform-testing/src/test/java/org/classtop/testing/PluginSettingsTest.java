package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.classtop.api.PluginContext;
import org.classtop.api.SettingType;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerPlugin;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Declared plugin settings through the API: listed with their values, checked by type (one sentence per bad
 * value, nothing stored from a bad batch), applied live or by restarting the plugin, and read in the order
 * stored value, config file, declared default.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PluginSettingsTest {
    @RegisterExtension
    static final ClassTopServerExtension SERVER = new ClassTopServerExtension(b -> b
            .pluginConfig("tuned.from-file", "file value")
            .plugin("tuned", new Tuned())
            .plugin("plain", new Plain()));

    /** Reads 'greeting' once, when created (so a change needs a restart), and 'limit' on every request. */
    public static final class Values implements RouteHandler {
        private final PluginContext context;
        private final String greeting;

        @Inject
        public Values(PluginContext context) {
            this.context = context;
            this.greeting = context.config("greeting").orElse("?");
        }

        @Override
        public Object handle(ApiRequest request) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("greeting", greeting);
            values.put("limit", context.configInt("limit", -1));
            values.put("period_ms", context.configDuration("period", Duration.ZERO).toMillis());
            values.put("from_file", context.config("from-file").orElse(null));
            return values;
        }
    }

    public static final class Tuned extends ServerPlugin {
        @Override
        protected void configure() {
            setting("greeting").defaultValue("hello").description("What the plugin says")
                    .description("zh-CN", "问候语");
            setting("limit").type(SettingType.INT).defaultValue("5").description("How many").live();
            setting("enabled").type(SettingType.BOOL).defaultValue("true").live();
            setting("period").type(SettingType.DURATION).defaultValue("30s").live();
            setting("big").type(SettingType.LONG).live();
            setting("from-file").live();
            route(HttpMethod.GET, "/api/tuned/values").to(Values.class);
        }
    }

    public static final class Plain extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.GET, "/api/plain/values").to(Values.class);
        }
    }

    private static ApiResult put(String id, Map<String, Object> values) {
        return SERVER.get().api().put("/api/plugins/" + id + "/settings", Map.of("values", values));
    }

    private static JsonNode setting(JsonNode settings, String name) {
        for (JsonNode s : settings) {
            if (name.equals(s.path("name").asText())) {
                return s;
            }
        }
        throw new AssertionError("no setting '" + name + "' in " + settings);
    }

    private static JsonNode values() {
        ApiResult values = SERVER.get().api().get("/api/tuned/values");
        assertEquals(200, values.status(), values.toString());
        return values.data();
    }

    @Test
    @Order(1)
    void theSettingsAreListedWithTypesDefaultsAndValues() {
        ApiResult got = SERVER.get().api().get("/api/plugins/tuned/settings");
        assertEquals(200, got.status(), got.toString());
        JsonNode settings = got.data().path("settings");
        assertEquals(6, settings.size(), settings.toString());
        JsonNode greeting = settings.get(0);
        assertEquals("greeting", greeting.path("name").asText(), "in declaration order");
        assertEquals("string", greeting.path("type").asText());
        assertEquals("hello", greeting.path("default").asText());
        assertEquals("What the plugin says", greeting.path("description").asText());
        assertEquals("问候语", greeting.path("descriptions").path("zh-CN").asText());
        assertEquals("hello", greeting.path("value").asText());
        assertEquals(false, greeting.path("live").asBoolean());
        JsonNode limit = setting(settings, "limit");
        assertEquals("int", limit.path("type").asText());
        assertEquals(true, limit.path("live").asBoolean());
        assertTrue(setting(settings, "big").path("default").isNull());
        assertTrue(setting(settings, "big").path("value").isNull());
        assertEquals("file value", setting(settings, "from-file").path("value").asText(), "the config file comes before the default");

        assertEquals("hello", values().path("greeting").asText());
        assertEquals(5, values().path("limit").asInt());

        ApiResult list = SERVER.get().api().get("/api/plugins");
        for (JsonNode p : list.data()) {
            if (p.path("id").asText().equals("tuned")) {
                assertEquals(6, p.path("settings").size(), p.toString());
            }
            if (p.path("id").asText().equals("plain")) {
                assertEquals(0, p.path("settings").size(), "[] for a plugin without settings: " + p);
                assertTrue(p.path("settings").isArray());
            }
        }
    }

    @Test
    void aViewerSeesWhatTheSettingsAreButNotTheirValues() {
        ApiResult created = SERVER.get().api().post("/api/tokens", Map.of("name", "Wall screen", "role", "viewer"));
        assertEquals(201, created.status(), created.toString());
        ApiClient viewer = ApiClient.withToken(SERVER.get().baseUrl(), created.data().path("token").asText());
        JsonNode asViewer = tuned(viewer.get("/api/plugins"));
        JsonNode asAdmin = tuned(SERVER.get().api().get("/api/plugins"));
        JsonNode seen = setting(asViewer.path("settings"), "from-file");
        assertFalse(seen.has("value"), "no value for a viewer: " + seen);
        assertEquals("from-file", seen.path("name").asText());
        assertTrue(seen.has("type") && seen.has("default") && seen.has("description") && seen.has("live"), seen.toString());
        assertTrue(setting(asAdmin.path("settings"), "from-file").has("value"), "an admin sees it: " + asAdmin);
    }

    private static JsonNode tuned(ApiResult list) {
        assertEquals(200, list.status(), list.toString());
        for (JsonNode p : list.data()) {
            if (p.path("id").asText().equals("tuned")) {
                return p;
            }
        }
        throw new AssertionError("no plugin 'tuned' in " + list);
    }

    @Test
    @Order(2)
    void badValuesAreRefusedOneSentenceEachAndNothingOfTheBatchIsStored() {
        Map<String, String> expectations = new LinkedHashMap<>();
        expectations.put("limit", "Setting 'limit' must be a whole number between -2147483648 and 2147483647, e.g. 30; 'many' is not.");
        expectations.put("enabled", "Setting 'enabled' must be true or false; 'maybe' is not.");
        expectations.put("period", "Setting 'period' must be a duration such as 30s, 250ms, 5m or PT30S; 'soon' is not.");
        expectations.put("big", "Setting 'big' must be a whole number, e.g. 30; '1.5' is not.");
        Map<String, Object> bad = Map.of("limit", "many", "enabled", "maybe", "period", "soon", "big", 1.5);
        for (Map.Entry<String, String> expected : expectations.entrySet()) {
            Map<String, Object> batch = new LinkedHashMap<>();
            batch.put("greeting", "changed by a bad batch");
            batch.put(expected.getKey(), bad.get(expected.getKey()));
            ApiResult refused = put("tuned", batch);
            assertEquals(400, refused.status(), refused.toString());
            assertEquals(expected.getValue(), refused.error());
            assertEquals("INVALID_SETTING", refused.code());
            assertEquals(expected.getKey(), refused.data().path("setting").asText(), refused.toString());
        }
        assertEquals("duration", put("tuned", Map.of("period", "soon")).data().path("type").asText());
        ApiResult notAnObject = put("tuned", Map.of("limit", Map.of("value", 3)));
        assertEquals(400, notAnObject.status());
        assertEquals("Setting 'limit' must be a whole number between -2147483648 and 2147483647, e.g. 30; an object is not.",
                notAnObject.error());

        ApiResult unknown = put("tuned", Map.of("colour", "red"));
        assertEquals(400, unknown.status());
        assertEquals("Plugin 'tuned' has no setting 'colour'; its settings are greeting, limit, enabled, period, big, from-file.",
                unknown.error());
        ApiResult none = put("plain", Map.of("colour", "red"));
        assertEquals("Plugin 'plain' has no setting 'colour'; it declares none.", none.error());
        assertEquals("INVALID_SETTING", none.code());
        assertEquals("colour", none.data().path("setting").asText());
        assertTrue(none.data().path("type").isNull());
        ApiResult noPlugin = put("nowhere", Map.of("limit", 3));
        assertEquals(404, noPlugin.status());
        assertEquals("There is no plugin 'nowhere'.", noPlugin.error());
        assertEquals("PLUGIN_NOT_FOUND", noPlugin.code());
        assertEquals(404, SERVER.get().api().get("/api/plugins/nowhere/settings").status());
        ApiResult noValues = SERVER.get().api().put("/api/plugins/tuned/settings", Map.of("limit", 3));
        assertEquals(400, noValues.status());
        assertEquals("The body must be {\"values\":{\"<setting>\":<value>,...}}.", noValues.error());

        JsonNode settings = SERVER.get().api().get("/api/plugins/tuned/settings").data().path("settings");
        assertEquals("hello", setting(settings, "greeting").path("value").asText(), "nothing of a bad batch was stored");
        assertEquals("hello", values().path("greeting").asText());
    }

    @Test
    @Order(3)
    void liveSettingsApplyAtOnce() {
        ApiResult changed = put("tuned", Map.of("limit", 42, "period", "250ms", "enabled", "no"));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("live", changed.data().path("applied").asText());
        assertEquals("42", setting(changed.data().path("settings"), "limit").path("value").asText());
        assertEquals("false", setting(changed.data().path("settings"), "enabled").path("value").asText(), "stored normalized");
        JsonNode values = values();
        assertEquals(42, values.path("limit").asInt());
        assertEquals(250, values.path("period_ms").asLong());

        ApiResult overFile = put("tuned", Map.of("from-file", "stored value"));
        assertEquals("live", overFile.data().path("applied").asText());
        assertEquals("stored value", values().path("from_file").asText(), "a stored value comes before the config file");

        ApiResult reset = put("tuned", java.util.Collections.singletonMap("from-file", null));
        assertEquals(200, reset.status(), reset.toString());
        assertEquals("file value", values().path("from_file").asText(), "null goes back to the config file");
    }

    @Test
    @Order(4)
    void aSettingThatIsNotLiveRestartsThePluginAndTakesEffect() {
        java.util.List<org.classtop.api.Event> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
        SERVER.get().server().injector().getInstance(org.classtop.core.events.EventDispatcher.class)
                .subscribe("plugins.*", heard::add);
        ApiResult changed = put("tuned", Map.of("greeting", "bonjour", "limit", 7));
        assertEquals(200, changed.status(), changed.toString());
        assertEquals("reloaded", changed.data().path("applied").asText());
        assertEquals("bonjour", setting(changed.data().path("settings"), "greeting").path("value").asText());
        JsonNode values = values();
        assertEquals("bonjour", values.path("greeting").asText(), "the restarted plugin reads the new value");
        assertEquals(7, values.path("limit").asInt());
        Poll.until("browsers hear plugins.changed", Duration.ofSeconds(10), () -> heard.stream().anyMatch(
                e -> e.name().equals("plugins.changed") && "tuned".equals(e.data().get("id"))
                        && "started".equals(e.data().get("state"))));

        ApiResult audit = SERVER.get().api().get("/api/audit?action=" + java.net.URLEncoder.encode(
                "PUT /api/plugins/{id}/settings", java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(200, audit.status(), audit.toString());
        assertTrue(audit.data().size() >= 1, "each change is audited: " + audit);
        assertEquals("reloaded", audit.data().get(0).path("detail").path("applied").asText(), audit.toString());

        SERVER.get().restart();
        assertEquals("bonjour", values().path("greeting").asText(), "stored values survive a restart");
        assertEquals(7, values().path("limit").asInt());
    }
}
