package org.classtop.core.plugins;

import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.api.Registration;

/** UI panels of all plugins; the admin UI reads them to fill its slots. */
@Singleton
public final class PanelRegistry {
    private final List<UiPanel> panels = new CopyOnWriteArrayList<>();

    public synchronized Registration register(UiPanel panel) {
        for (UiPanel existing : panels) {
            if (existing.element().equals(panel.element())) {
                throw new IllegalStateException("UI element <" + panel.element() + "> is already provided by plugin '"
                        + existing.plugin() + "'.");
            }
        }
        panels.add(panel);
        return () -> panels.remove(panel);
    }

    public List<UiPanel> all() {
        return List.copyOf(panels);
    }
}
