package org.classtop.api.server;

/**
 * Declares a UI panel: an ES module in the plugin jar under {@code static/<plugin-id>/} that defines
 * a web component; the admin UI loads it at a named slot.
 */
public interface UiPanelBuilder {
    /** Path of the module inside the jar, e.g. {@code static/settings/panel.js}. */
    UiPanelBuilder script(String resourcePath);

    /** The custom element the module defines, e.g. {@code classtop-settings-panel}. */
    UiPanelBuilder element(String tagName);

    /** Where it shows: {@code client-detail}, {@code dashboard-card} or {@code page}. */
    UiPanelBuilder slot(String slot);

    /** Title, English. */
    UiPanelBuilder title(String title);

    /** Title in another language, e.g. {@code title("zh-CN", "设置")}. */
    UiPanelBuilder title(String language, String title);

    /** Only for clients whose agent reports one of these commands (client-detail panels). */
    UiPanelBuilder whenClientHas(String command);

    void register();
}
