package org.classtop.plugins.cctv.recording.agent;

import java.nio.file.Path;
import java.util.Map;
import org.classtop.api.PluginContext;
import org.classtop.testing.AgentFixtures;

/** cctv-recording's agent side wired by hand around a data folder, as the plugin's injector wires it. */
final class Rig implements AutoCloseable {
    final AgentFixtures.RecordingAgentContext agent = new AgentFixtures.RecordingAgentContext();
    final LavfiCameraFeeds feeds;
    final RecordingSettings settings;
    final ActiveSegments active = new ActiveSegments();
    final SqliteRecordingIndex index;
    final Recorders recorders;
    final FileReads reads = new FileReads();

    Rig(Path dataDir, LavfiCameraFeeds feeds, Map<String, String> config) {
        this.feeds = feeds;
        PluginContext context = AgentFixtures.pluginContext("cctv-recording", dataDir, config);
        settings = new RecordingSettings(context);
        index = new SqliteRecordingIndex(settings, active);
        recorders = new Recorders(feeds, index, active, settings, agent);
    }

    Rig(Path dataDir) {
        this(dataDir, new LavfiCameraFeeds(), Map.of());
    }

    Rig start() throws Exception {
        recorders.start();
        return this;
    }

    @Override
    public void close() throws Exception {
        recorders.stop();
        reads.stop();
    }
}
