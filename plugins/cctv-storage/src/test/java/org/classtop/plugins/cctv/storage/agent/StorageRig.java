package org.classtop.plugins.cctv.storage.agent;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.classtop.api.PluginContext;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.CommandRequest;
import org.classtop.plugins.cctv.recording.RecordingIndex;
import org.classtop.plugins.cctv.recording.agent.StorageTestIndex;
import org.classtop.testing.AgentFixtures;

/** cctv-storage's agent side wired by hand on cctv-recording's real index, with an agent and a scheduler that keep what they get. */
final class StorageRig implements AutoCloseable {
    record Scheduled(Duration period, Runnable task) {
    }

    final AgentFixtures.RecordingAgentContext agent = new AgentFixtures.RecordingAgentContext();
    final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();
    final StorageTestIndex recordings;
    final StorageSettings settings;
    final Cleaner cleaner;

    StorageRig(Path dir, Map<String, String> config, java.util.function.UnaryOperator<RecordingIndex> wrap) {
        recordings = new StorageTestIndex(dir.resolve("cctv-recording"));
        Map<String, String> values = new HashMap<>(config);
        settings = new StorageSettings(AgentFixtures.pluginContext("cctv-storage", dir.resolve("cctv-storage"), config));
        Scheduler scheduler = new Scheduler() {
            @Override
            public Registration every(Duration period, Runnable task) {
                scheduled.add(new Scheduled(period, task));
                return () -> { };
            }

            @Override
            public Registration after(Duration delay, Runnable task) {
                throw new UnsupportedOperationException();
            }
        };
        cleaner = new Cleaner(wrap.apply(recordings.index()), agent, settings, scheduler, Clock.systemUTC());
        cleaner.start();
    }

    StorageRig(Path dir) {
        this(dir, Map.of(), index -> index);
    }

    RecordingIndex index() {
        return recordings.index();
    }

    List<AgentFixtures.Emitted> events(String name) {
        return agent.events(name);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> cleanup(Map<String, Object> params) throws Exception {
        return (Map<String, Object>) new CleanupStorageCommand(cleaner, settings).handle(AgentFixtures.request("cctv_cleanup_storage", params));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> info() throws Exception {
        return (Map<String, Object>) new GetStorageInfoCommand(index(), cleaner, settings).handle(AgentFixtures.request("cctv_get_storage_info", Map.of()));
    }

    @Override
    public void close() throws Exception {
        cleaner.stop();
        recordings.close();
    }
}
