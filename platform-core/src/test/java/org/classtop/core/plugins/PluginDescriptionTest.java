package org.classtop.core.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plugin's description in other languages (ServerPlugin.description(language, text)). */
class PluginDescriptionTest {
    @Test
    void descriptionsAreKeptPerLanguageAndABlankOneIsDropped() {
        ServerDeclarations declarations = new ServerDeclarations("demo");
        declarations.description("zh-CN", "演示");
        declarations.description("fr", "Démo");
        declarations.description("fr", " ");
        assertEquals(Map.of("zh-CN", "演示"), declarations.descriptions);
    }

    @Test
    void somethingThatIsNoLanguageTagIsRefusedWithThePluginsName() {
        ServerDeclarations declarations = new ServerDeclarations("demo");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> declarations.description("<img src=x>", "x"));
        assertTrue(e.getMessage().contains("'demo'") && e.getMessage().contains("language tag"), e.getMessage());
    }
}
