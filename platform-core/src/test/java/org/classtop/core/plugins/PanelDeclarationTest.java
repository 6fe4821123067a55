package org.classtop.core.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.classtop.api.server.UiPanelBuilder;
import org.junit.jupiter.api.Test;

/** A panel names one of the admin UI's slots and a valid custom element, or its plugin fails to load with a sentence. */
class PanelDeclarationTest {
    @Test
    void anUnknownSlotIsRefusedWithTheSlotsThereAre() {
        ServerDeclarations declarations = new ServerDeclarations();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> declarations.uiPanel("stats").slot("sidebar"));
        assertTrue(e.getMessage().contains("'sidebar'") && e.getMessage().contains("clients-batch"), e.getMessage());
    }

    @Test
    void anElementNameWithoutAHyphenIsRefused() {
        ServerDeclarations declarations = new ServerDeclarations();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> declarations.uiPanel("stats").element("StatsPanel"));
        assertTrue(e.getMessage().contains("hyphen"), e.getMessage());
    }

    @Test
    void everySlotOfTheUiIsAccepted() {
        for (String slot : UiPanelBuilder.SLOTS) {
            ServerDeclarations declarations = new ServerDeclarations();
            declarations.uiPanel("p").script("static/x/p.js").element("x-panel").slot(slot).register();
            assertEquals(slot, declarations.panels.get(0).slot());
        }
    }
}
