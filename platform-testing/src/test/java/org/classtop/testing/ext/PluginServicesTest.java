package org.classtop.testing.ext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.Event;
import org.classtop.api.Lifecycle;
import org.classtop.api.PluginContext;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.server.ApiRequest;
import org.classtop.api.server.Events;
import org.classtop.api.server.HttpMethod;
import org.classtop.api.server.RouteHandler;
import org.classtop.api.server.ServerInfo;
import org.classtop.api.server.ServerPlugin;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;

/** A plugin's own services: Scheduler, Events.subscribe, ServerInfo and typed settings. */
class PluginServicesTest {
    static final AtomicInteger TICKS = new AtomicInteger();
    static final AtomicInteger FAILING_RUNS = new AtomicInteger();
    static final AtomicInteger LATE_TICKS = new AtomicInteger();
    static final AtomicInteger ONCE = new AtomicInteger();
    static final CountDownLatch RELEASE_BLOCKER = new CountDownLatch(1);
    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();

    /** Ticks, fails every time, and runs once after a delay. */
    public static final class Ticker implements Lifecycle {
        private final Scheduler scheduler;

        @Inject
        public Ticker(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void start() {
            scheduler.every(Duration.ofMillis(20), TICKS::incrementAndGet);
            scheduler.every(Duration.ofMillis(20), () -> {
                FAILING_RUNS.incrementAndGet();
                throw new IllegalStateException("this task always fails");
            });
            scheduler.after(Duration.ofMillis(10), ONCE::incrementAndGet);
        }

        @Override
        public void stop() {
        }
    }

    /** Blocks every task thread it gets (20 one-shot tasks and a periodic one); the other plugin's timers must go on. */
    public static final class Blocker implements Lifecycle {
        private final Scheduler scheduler;

        @Inject
        public Blocker(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void start() {
            Runnable block = () -> {
                try {
                    RELEASE_BLOCKER.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            for (int i = 0; i < 20; i++) { // more than the pool's 16 threads
                scheduler.after(Duration.ZERO, block);
            }
            scheduler.every(Duration.ofMillis(5), block);
        }

        @Override
        public void stop() {
        }
    }

    public static final class TickerPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            lifecycle(Ticker.class);
        }
    }

    public static final class BlockerPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            lifecycle(Blocker.class);
        }
    }

    /** Schedules a task, then fails to start: the plugin is failed and its task must be cancelled. */
    public static final class FailsAfterScheduling implements Lifecycle {
        private final Scheduler scheduler;

        @Inject
        public FailsAfterScheduling(Scheduler scheduler) {
            this.scheduler = scheduler;
        }

        @Override
        public void start() {
            scheduler.every(Duration.ofMillis(10), LATE_TICKS::incrementAndGet);
            Poll.until("the task to tick", Duration.ofSeconds(10), () -> LATE_TICKS.get() > 0);
            throw new IllegalStateException("cannot start");
        }

        @Override
        public void stop() {
        }
    }

    public static final class FailingPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            lifecycle(FailsAfterScheduling.class);
        }
    }

    /** Subscribes to demo.* on POST /api/subs/on, unsubscribes on /off; publishes on /publish/{name}. */
    public static final class Subscriber implements RouteHandler {
        private final Events events;
        private Registration subscription;

        @Inject
        public Subscriber(Events events) {
            this.events = events;
        }

        @Override
        public synchronized Object handle(ApiRequest request) {
            switch (request.path()) {
                case "/api/subs/on" -> subscription = events.subscribe("demo.*", e -> RECEIVED.add(e.name()));
                case "/api/subs/off" -> subscription.close();
                default -> events.publish(new Event(request.pathParam("name"), null, Map.of(), null));
            }
            return Map.of();
        }
    }

    /** Always subscribed to "marker": once it sees the marker, earlier events were delivered (one dispatch thread, in order). */
    public static final class MarkerWatch implements Lifecycle {
        static final CountDownLatch[] SEEN = {new CountDownLatch(1)};
        private final Events events;

        @Inject
        public MarkerWatch(Events events) {
            this.events = events;
        }

        @Override
        public void start() {
            events.subscribe("marker", e -> SEEN[0].countDown());
        }

        @Override
        public void stop() {
        }
    }

    public static final class InfoRoute implements RouteHandler {
        private final ServerInfo info;
        private final PluginContext context;

        @Inject
        public InfoRoute(ServerInfo info, PluginContext context) {
            this.info = info;
            this.context = context;
        }

        @Override
        public Object handle(ApiRequest request) {
            return Map.of("role", info.role(), "version", info.version(), "data", info.dataDir().toString(),
                    "flags", info.flags(), "poll_ms", context.configDuration("poll", Duration.ofSeconds(30)).toMillis(),
                    "retries", context.configInt("retries", 3), "verbose", context.configBool("verbose", false));
        }
    }

    public static final class ServicesPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            route(HttpMethod.POST, "/api/subs/on").to(Subscriber.class);
            route(HttpMethod.POST, "/api/subs/off").to(Subscriber.class);
            route(HttpMethod.POST, "/api/subs/publish/{name}").to(Subscriber.class);
            route(HttpMethod.GET, "/api/subs/info").to(InfoRoute.class);
            lifecycle(MarkerWatch.class);
        }
    }

    /** Reads a bad whole number when it starts. */
    public static final class ReadsBadSetting implements Lifecycle {
        private final PluginContext context;

        @Inject
        public ReadsBadSetting(PluginContext context) {
            this.context = context;
        }

        @Override
        public void start() {
            context.configInt("retries", 3);
        }

        @Override
        public void stop() {
        }
    }

    public static final class BadSettingPlugin extends ServerPlugin {
        @Override
        protected void configure() {
            lifecycle(ReadsBadSetting.class);
        }
    }

    @Test
    void aSchedulerKeepsGoingPastFailuresAndBlockedPluginsAndStopsWithTheServer() throws Exception {
        TestServer server = TestServer.builder().plugin("blocker", new BlockerPlugin()).plugin("ticker", new TickerPlugin()).start();
        try {
            Poll.until("the ticker to tick 10 times while the other plugin's task blocks", Duration.ofSeconds(10),
                    () -> TICKS.get() >= 10);
            Poll.until("the failing task to be run again after it failed", Duration.ofSeconds(10),
                    () -> FAILING_RUNS.get() >= 3);
            assertEquals(1, ONCE.get(), "an after() task runs once");
        } finally {
            RELEASE_BLOCKER.countDown();
            server.close();
        }
        int stopped = TICKS.get();
        Thread.sleep(200); // ten periods: a task still scheduled would have ticked
        assertTrue(TICKS.get() <= stopped + 1, "no ticks after the server stopped");
    }

    @Test
    void aFailedPluginsTasksAreCancelled() throws Exception {
        try (TestServer server = TestServer.builder().plugin("fails", new FailingPlugin()).start()) {
            JsonNode plugin = plugin(server, "fails");
            assertEquals("failed", plugin.path("state").asText());
            int ticks = LATE_TICKS.get();
            Thread.sleep(200); // twenty periods
            assertTrue(LATE_TICKS.get() <= ticks + 1, "the failed plugin's task was cancelled");
        }
    }

    @Test
    void subscribeDeliversUntilTheRegistrationIsClosed() throws Exception {
        try (TestServer server = TestServer.builder().plugin("services", new ServicesPlugin()).start()) {
            RECEIVED.clear();
            assertEquals(200, server.api().post("/api/subs/on", Map.of()).status());
            server.api().post("/api/subs/publish/demo.one", Map.of());
            server.api().post("/api/subs/publish/other.two", Map.of());
            Poll.until("demo.one to arrive", Duration.ofSeconds(10), () -> RECEIVED.contains("demo.one"));

            server.api().post("/api/subs/off", Map.of());
            MarkerWatch.SEEN[0] = new CountDownLatch(1);
            server.api().post("/api/subs/publish/demo.three", Map.of());
            server.api().post("/api/subs/publish/marker", Map.of());
            assertTrue(MarkerWatch.SEEN[0].await(10, TimeUnit.SECONDS));
            assertEquals(List.of("demo.one"), RECEIVED, "nothing after the registration was closed, no other.*");
        }
    }

    @Test
    void serverInfoAndTypedSettings() {
        try (TestServer server = TestServer.builder().plugin("services", new ServicesPlugin())
                .pluginConfig("services.poll", "250ms").pluginConfig("services.retries", "7")
                .pluginConfig("services.verbose", "yes").start()) {
            JsonNode info = server.api().get("/api/subs/info").data();
            assertEquals("lms", info.path("role").asText());
            assertFalse(info.path("version").asText().isEmpty());
            assertEquals(server.dataDir().toString(), info.path("data").asText());
            assertEquals("lms", info.path("flags").path("role").asText());
            assertEquals("open", info.path("flags").path("enrollment").asText());
            assertEquals("30", info.path("flags").path("management-interval").asText());
            assertTrue(info.path("flags").path("management-url").isMissingNode(), "only flags that are set");
            assertFalse(info.toString().contains(server.adminToken()), "the admin token is never a plugin's to read");
            assertEquals(250, info.path("poll_ms").asLong());
            assertEquals(7, info.path("retries").asInt());
            assertTrue(info.path("verbose").asBoolean());
        }
    }

    @Test
    void aBadSettingFailsThePluginWithASentenceNamingIt() {
        try (TestServer server = TestServer.builder().plugin("badset", new BadSettingPlugin())
                .pluginConfig("badset.retries", "many").start()) {
            JsonNode plugin = plugin(server, "badset");
            assertEquals("failed", plugin.path("state").asText());
            assertEquals("Plugin 'badset' failed: The setting badset.retries is 'many'; it must be a whole number, e.g. 30.",
                    plugin.path("error").asText());
        }
    }

    @Test
    void aBadDurationIsRefusedWithASentence() {
        try (TestServer server = TestServer.builder().plugin("services", new ServicesPlugin())
                .pluginConfig("services.poll", "soon").start()) {
            ApiResult answer = server.api().get("/api/subs/info");
            assertEquals(500, answer.status(), "a route reading a bad setting fails (the log names the setting)");
        }
    }

    private static JsonNode plugin(TestServer server, String id) {
        for (JsonNode plugin : server.api().get("/api/plugins").data()) {
            if (plugin.path("id").asText().equals(id)) {
                return plugin;
            }
        }
        throw new AssertionError("plugin " + id + " is not listed");
    }
}
