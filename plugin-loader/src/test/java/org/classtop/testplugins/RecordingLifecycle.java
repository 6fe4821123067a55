package org.classtop.testplugins;

import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.classtop.api.Lifecycle;
import org.classtop.api.PluginContext;

/** Records "start &lt;id&gt;" and "stop &lt;id&gt;"; fails to start when the plugin's config {@code fail} is set. */
public final class RecordingLifecycle implements Lifecycle {
    public static final List<String> CALLS = Collections.synchronizedList(new ArrayList<>());
    private final PluginContext plugin;

    @Inject
    public RecordingLifecycle(PluginContext plugin) {
        this.plugin = plugin;
    }

    @Override
    public void start() {
        if (plugin.config("fail").isPresent()) {
            throw new IllegalStateException("the test asked " + plugin.pluginId() + " to fail");
        }
        CALLS.add("start " + plugin.pluginId());
    }

    @Override
    public void stop() {
        CALLS.add("stop " + plugin.pluginId());
    }
}
