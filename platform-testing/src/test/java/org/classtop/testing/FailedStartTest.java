package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import org.classtop.api.Lifecycle;
import org.classtop.api.server.ServerPlugin;
import org.classtop.core.ClassTopServer;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.storage.PlatformDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server whose listener cannot bind stops what it had started: plugins' services, then the database. */
class FailedStartTest {
    static final List<String> CALLS = new CopyOnWriteArrayList<>();

    public static final class Recorder implements Lifecycle {
        @Override
        public void start() {
            CALLS.add("start");
        }

        @Override
        public void stop() {
            CALLS.add("stop");
        }
    }

    @Test
    void aListenerThatCannotBindStopsThePluginsAndClosesTheDatabase(@TempDir Path dataDir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServerConfig config = ServerConfig.forTests(dataDir).toBuilder().port(taken.getLocalPort()).build();
            ClassTopServer server = new ClassTopServer(config).loadPluginFolder(false)
                    .withPlugin("recorder", new ServerPlugin() {
                        @Override
                        protected void configure() {
                            lifecycle(Recorder.class);
                        }
                    });

            assertThrows(RuntimeException.class, server::start);

            assertEquals(List.of("start", "stop"), CALLS, "the plugin's service was started, then stopped");
            PlatformDatabase database = server.injector().getInstance(PlatformDatabase.class);
            ExecutionException closed = assertThrows(ExecutionException.class,
                    () -> database.write(c -> 1).toCompletableFuture().get());
            assertTrue(closed.getCause().getMessage().contains("closed"), closed.getCause().getMessage());
            server.stop(); // nothing left to stop, and no error
        }
    }
}
