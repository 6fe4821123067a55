package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AnnouncedPluginsTest {
    private static final String SHA = "0123456789abcdef".repeat(4);

    @Test
    void readsTheFrameAndDropsEntriesThatBreakTheRules() {
        Map<String, Object> frame = Json.readObject("""
                {"type":"plugins","download_token":"ctd_x",
                 "plugins":[{"id":"settings","version":"1.2.0","sha256":"%s","platforms":["linux-x86_64"]},
                            {"id":"Bad_Id","version":"1","sha256":"%s"},
                            {"id":"short-sha","version":"1","sha256":"abc"},
                            {"id":"no-version","sha256":"%s"},
                            "not an object",
                            {"id":"settings","version":"9","sha256":"%s"}],
                 "off":["cctv-cameras","settings","UPPER",3]}
                """.formatted(SHA, SHA, SHA, SHA));
        AnnouncedPlugins announced = AnnouncedPlugins.parse(frame);
        assertEquals(List.of(new AnnouncedPlugins.Announced("settings", "1.2.0", SHA, List.of("linux-x86_64"))),
                announced.plugins());
        assertEquals(Set.of("cctv-cameras"), announced.off());
        assertEquals("ctd_x", announced.downloadToken());
    }

    @Test
    void thePersistedFormKeepsEverythingButTheToken() {
        AnnouncedPlugins announced = new AnnouncedPlugins(
                List.of(new AnnouncedPlugins.Announced("settings", "1.2.0", SHA, List.of())), Set.of("b-off", "a-off"), "ctd_x");
        Map<String, Object> json = Json.readObject(Json.write(announced.toJson()));
        assertEquals(List.of("a-off", "b-off"), json.get("off"));
        AnnouncedPlugins back = AnnouncedPlugins.parse(json);
        assertEquals(announced.plugins(), back.plugins());
        assertEquals(announced.off(), back.off());
        assertNull(back.downloadToken());
    }

    @Test
    void platformsAreNamedLikePluginPlatforms() {
        assertEquals("linux-x86_64", AgentPlatform.of("Linux", "amd64"));
        assertEquals("windows-x86_64", AgentPlatform.of("Windows 11", "amd64"));
        assertEquals("mac-aarch64", AgentPlatform.of("Mac OS X", "aarch64"));
        assertEquals("linux-aarch64", AgentPlatform.of("Linux", "arm64"));
        assertEquals("mac-aarch64", AgentPlatform.normalize("macosx-arm64"));
        assertEquals("linux-x86_64", AgentPlatform.normalize("linux-x86_64"));
        assertEquals("linux-armhf", AgentPlatform.of("Linux", "arm"));
        assertEquals("linux-armhf", AgentPlatform.normalize("linux-armv7l"));
        assertEquals("linux-armhf", AgentPlatform.normalize("linux-armhf"));
        assertEquals("mac-x86_64", AgentPlatform.normalize("osx-x86_64"));
        assertEquals("mac-aarch64", AgentPlatform.normalize("mac-arm64"));
        assertEquals("windows-x86_64", AgentPlatform.normalize("win-x86-64"));
        assertEquals("windows-x86_64", AgentPlatform.normalize("Windows-AMD64"));
        assertEquals("linux-x86_64", AgentPlatform.normalize("linux-x86_64"));
        assertEquals("linux-aarch64", AgentPlatform.normalize("linux-aarch_64"));
        assertEquals("windows-x86", AgentPlatform.normalize("windows-i686"));
        AnnouncedPlugins.Announced javacpp = new AnnouncedPlugins.Announced("video-sources", "1", SHA,
                List.of("macosx-arm64", "windows-x86_64"));
        assertEquals(true, javacpp.runsOn("mac-aarch64"));
        assertEquals(false, javacpp.runsOn("linux-x86_64"));
    }
}
