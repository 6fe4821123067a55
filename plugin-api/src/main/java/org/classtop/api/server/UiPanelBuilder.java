package org.classtop.api.server;

/**
 * Declares a UI panel: an ES module in the plugin jar under {@code static/<plugin-id>/} that defines
 * a web component; the admin UI loads it at a named slot.
 */
public interface UiPanelBuilder {
    /**
     * The slots of the admin UI: {@code page} (a page of its own in the navigation), {@code dashboard-card}
     * (a card on the dashboard), {@code client-detail} (a tab on a client's page; attribute
     * {@code client-uuid}) and {@code clients-batch} (an action on the clients selected in the list;
     * attribute {@code client-uuids}, comma-separated).
     */
    java.util.Set<String> SLOTS = java.util.Set.of("page", "dashboard-card", "client-detail", "clients-batch");

    /** Path of the module inside the jar, e.g. {@code static/settings/panel.js}. */
    UiPanelBuilder script(String resourcePath);

    /** The custom element the module defines, e.g. {@code classtop-settings-panel}. */
    UiPanelBuilder element(String tagName);

    /** Where it shows: one of {@link #SLOTS}; {@code client-detail} when not called. */
    UiPanelBuilder slot(String slot);

    /** Title, English. */
    UiPanelBuilder title(String title);

    /** Title in another language, e.g. {@code title("zh-CN", "设置")}. */
    UiPanelBuilder title(String language, String title);

    /** Only for clients whose agent reports one of these commands (client-detail panels). */
    UiPanelBuilder whenClientHas(String command);

    void register();
}
