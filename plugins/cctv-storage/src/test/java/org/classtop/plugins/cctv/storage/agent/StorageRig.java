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

/** cctv-storage's agent side wired by hand on cctv-recording's real index, with an agent and a scheduler that keep what they get. */
final class StorageRig implements AutoCloseable {
    record Emitted(String name, Map<String, Object> data) {
    }

    record Scheduled(Duration period, Runnable task) {
    }

    final List<Emitted> events = new CopyOnWriteArrayList<>();
    final List<Scheduled> scheduled = new CopyOnWriteArrayList<>();
    final StorageTestIndex recordings;
    final StorageSettings settings;
    final Cleaner cleaner;

    StorageRig(Path dir, Map<String, String> config, java.util.function.UnaryOperator<RecordingIndex> wrap) {
        recordings = new StorageTestIndex(dir.resolve("cctv-recording"));
        Map<String, String> values = new HashMap<>(config);
        settings = new StorageSettings(new PluginContext() {
            @Override
            public String pluginId() {
                return "cctv-storage";
            }

            @Override
            public String version() {
                return "0.1.0";
            }

            @Override
            public Path dataDir() {
                return dir.resolve("cctv-storage");
            }

            @Override
            public Optional<String> config(String name) {
                return Optional.ofNullable(values.get(name));
            }
        });
        AgentContext agent = new AgentContext() {
            @Override
            public String clientUuid() {
                return "pc-test";
            }

            @Override
            public void stateChanged() {
            }

            @Override
            public void emit(String name, Map<String, Object> data) {
                events.add(new Emitted(name, data));
            }
        };
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

    List<Emitted> events(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> cleanup(Map<String, Object> params) throws Exception {
        return (Map<String, Object>) new CleanupStorageCommand(cleaner, settings).handle(request("cctv_cleanup_storage", params));
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> info() throws Exception {
        return (Map<String, Object>) new GetStorageInfoCommand(index(), cleaner, settings).handle(request("cctv_get_storage_info", Map.of()));
    }

    static CommandRequest request(String command, Map<String, Object> params) {
        return new CommandRequest() {
            @Override
            public String command() {
                return command;
            }

            @Override
            public String requestId() {
                return "r-1";
            }

            @Override
            public Map<String, Object> params() {
                return params;
            }

            @Override
            public Optional<String> optionalString(String name) {
                return Optional.ofNullable(params.get(name)).map(String::valueOf);
            }
        };
    }

    @Override
    public void close() throws Exception {
        cleaner.stop();
        recordings.close();
    }
}
