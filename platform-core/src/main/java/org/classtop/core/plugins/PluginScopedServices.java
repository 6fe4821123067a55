package org.classtop.core.plugins;

import com.google.inject.Injector;
import com.google.inject.Module;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.Event;
import org.classtop.api.EventListener;
import org.classtop.api.Registration;
import org.classtop.api.Scheduler;
import org.classtop.api.server.Events;
import org.classtop.api.server.ServerInfo;
import org.classtop.core.Main;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.events.EventDispatcher;
import org.classtop.core.http.OpenConnections;
import org.classtop.core.http.RouteDefinition;
import org.classtop.core.http.RouteTemplate;
import org.classtop.core.http.WebSocketEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services a plugin gets for itself and that end with it: its {@link Scheduler}, its {@link Events}
 * (subscriptions), its open streams and WebSockets; plus {@link ServerInfo}. {@link #moduleFor} gives the
 * bindings of a plugin's child injector, {@link #closeAll} ends everything the plugin still holds.
 *
 * <p>Scheduled tasks: one timer thread only fires them; they run on a pool of at most
 * {@value #TASK_THREADS} threads, at most {@value #TASKS_PER_PLUGIN} of them for one plugin, so a task
 * that blocks holds one thread and delays no other plugin's timers. A periodic task never overlaps itself.
 */
@Singleton
public final class PluginScopedServices implements AutoCloseable {
    static final int TASK_THREADS = 16;
    static final int TASK_QUEUE = 10_000;
    static final int TASKS_PER_PLUGIN = 4;
    static final long RETRY_MILLIS = 50;
    private static final Logger LOG = LoggerFactory.getLogger(PluginScopedServices.class);

    private final ServerConfig config;
    private final EventDispatcher events;
    private final OpenConnections connections;
    private final Map<String, List<Registration>> byPlugin = new ConcurrentHashMap<>();
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor tasks;

    @Inject
    public PluginScopedServices(ServerConfig config, EventDispatcher events, OpenConnections connections) {
        this.config = config;
        this.events = events;
        this.connections = connections;
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("classtop-plugin-timer"));
        timer.setRemoveOnCancelPolicy(true);
        this.tasks = growingPool(TASK_THREADS, TASK_QUEUE, daemon("classtop-plugin-task"));
    }

    /**
     * A pool that starts a thread only when no thread is idle (up to {@code threads}), queues beyond that (up to
     * {@code queued}), and ends threads idle for 30 s. A plain {@link ThreadPoolExecutor} with a queue either never
     * grows past its core size or, with core = maximum, starts a new thread for every task until it has all of them,
     * even when they all sit idle: the plugins' timers alone kept 16 threads alive on an idle server.
     */
    static ThreadPoolExecutor growingPool(int threads, int queued, ThreadFactory factory) {
        IdleFirstQueue queue = new IdleFirstQueue(queued);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, threads, 30, TimeUnit.SECONDS, queue, factory,
                (task, executor) -> {
                    // Every thread busy and no room for another: the task waits in the queue, if it has room.
                    if (executor.isShutdown() || !queue.enqueue(task)) {
                        throw new RejectedExecutionException("The task pool is full or stopped.");
                    }
                });
        queue.pool = pool;
        return pool;
    }

    /** Takes a task only when a thread of the pool is idle: otherwise the pool is asked to start one first. */
    private static final class IdleFirstQueue extends LinkedBlockingQueue<Runnable> {
        private transient volatile ThreadPoolExecutor pool;

        IdleFirstQueue(int capacity) {
            super(capacity);
        }

        @Override
        public boolean offer(Runnable task) {
            ThreadPoolExecutor executor = pool;
            if (executor != null && executor.getActiveCount() >= executor.getPoolSize()
                    && executor.getPoolSize() < executor.getMaximumPoolSize()) {
                return false; // no idle thread and room for one more: the pool starts it with this task
            }
            return super.offer(task);
        }

        boolean enqueue(Runnable task) {
            return super.offer(task);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The bindings of {@code pluginId}'s own services, for its child injector. */
    public Module moduleFor(String pluginId) {
        Scheduler scheduler = new PluginScheduler(pluginId);
        Events pluginEvents = new PluginEvents(pluginId);
        ServerInfo info = new Info(pluginId);
        return binder -> {
            binder.bind(Scheduler.class).toInstance(scheduler);
            binder.bind(Events.class).toInstance(pluginEvents);
            binder.bind(ServerInfo.class).toInstance(info);
        };
    }

    /** The GET routes that serve the plugin's declared WebSockets, with handlers from its injector. */
    List<RouteDefinition> webSocketRoutes(String pluginId, Injector child, ServerDeclarations declared) {
        List<RouteDefinition> routes = new ArrayList<>();
        for (ServerDeclarations.WebSocketDeclaration w : declared.webSockets) {
            WebSocketEndpoint endpoint = new WebSocketEndpoint(pluginId, child.getInstance(w.handler()),
                    w.maxConnections(), w.maxQueuedBytes(), connections);
            routes.add(new RouteDefinition(pluginId, org.classtop.api.server.HttpMethod.GET, new RouteTemplate(w.path()),
                    w.required(), w.summary() == null ? "WebSocket " + w.path() : w.summary(),
                    "A WebSocket: open it with 'Upgrade: websocket' (a plain GET gets 426). At most " + w.maxConnections()
                            + " open at once.", null, null, endpoint));
        }
        return routes;
    }

    /** Cancels the plugin's tasks and subscriptions, closes its open streams and WebSockets. */
    public void closeAll(String pluginId) {
        List<Registration> held = byPlugin.remove(pluginId);
        if (held != null) {
            synchronized (held) {
                held.forEach(Registration::close);
                held.clear();
            }
        }
        connections.closeAll(pluginId);
    }

    private Registration hold(String pluginId, Registration registration) {
        List<Registration> held = byPlugin.computeIfAbsent(pluginId, id -> new ArrayList<>());
        synchronized (held) {
            held.add(registration);
        }
        return () -> {
            synchronized (held) {
                held.remove(registration);
            }
            registration.close();
        };
    }

    @Override
    public void close() {
        for (String pluginId : Set.copyOf(byPlugin.keySet())) {
            closeAll(pluginId);
        }
        connections.closeAll();
        timer.shutdownNow();
        tasks.shutdownNow();
    }

    /**
     * One plugin's tasks. At most {@value #TASKS_PER_PLUGIN} of them run at once, so that a plugin whose
     * tasks all block holds that many pool threads and never the whole pool: a periodic run finding no
     * room is skipped, a one-shot task waits {@value #RETRY_MILLIS} ms and tries again.
     */
    private final class PluginScheduler implements Scheduler {
        private final String pluginId;
        private final java.util.concurrent.Semaphore room = new java.util.concurrent.Semaphore(TASKS_PER_PLUGIN);

        PluginScheduler(String pluginId) {
            this.pluginId = pluginId;
        }

        /** One scheduled task: never two runs at once, and nothing after it is cancelled. */
        private final class Task {
            final Runnable body;
            final boolean once;
            final AtomicBoolean running = new AtomicBoolean();
            final FailureLog failures = new FailureLog();
            volatile boolean cancelled;
            volatile ScheduledFuture<?> future;
            /** Its place in the plugin's held list; a one-shot task leaves it once it ran. */
            volatile Registration handle;

            Task(Runnable body, boolean once) {
                this.body = body;
                this.once = once;
            }

            Registration registration() {
                return handle = hold(pluginId, () -> {
                    cancelled = true;
                    ScheduledFuture<?> f = future;
                    if (f != null) {
                        f.cancel(false);
                    }
                });
            }
        }

        @Override
        public Registration every(Duration period, Runnable body) {
            long nanos = positive(period, "period");
            Task task = new Task(body, false);
            Registration registration = task.registration();
            task.future = timer.scheduleAtFixedRate(() -> fire(task), nanos, nanos, TimeUnit.NANOSECONDS);
            return registration;
        }

        @Override
        public Registration after(Duration delay, Runnable body) {
            long nanos = Math.max(0, delay.toNanos());
            Task task = new Task(body, true);
            Registration registration = task.registration(); // before it can fire (a delay of 0)
            task.future = timer.schedule(() -> fire(task), nanos, TimeUnit.NANOSECONDS);
            return registration;
        }

        private long positive(Duration period, String what) {
            if (period == null || period.isZero() || period.isNegative()) {
                throw new IllegalArgumentException("A scheduled task's " + what + " must be positive, not " + period + ".");
            }
            return period.toNanos();
        }

        /** On the timer thread: hands the task to the pool, unless it is cancelled, still running, or the plugin has no room. */
        private void fire(Task task) {
            if (task.cancelled || !task.running.compareAndSet(false, true)) {
                return;
            }
            if (!room.tryAcquire()) {
                task.running.set(false);
                if (task.once) {
                    retryLater(task);
                }
                return;
            }
            try {
                tasks.execute(() -> {
                    try {
                        if (!task.cancelled) {
                            task.body.run();
                        }
                    } catch (Throwable e) {
                        task.failures.failed(pluginId, task.body, e);
                    } finally {
                        room.release();
                        task.running.set(false);
                        if (task.once) {
                            task.handle.close(); // done: no longer held for the plugin's stop
                        }
                    }
                });
            } catch (RejectedExecutionException e) {
                room.release();
                task.running.set(false);
                LOG.warn("[{}] a scheduled task was skipped: the plugins' task pool is full or stopped", pluginId);
            }
        }

        private void retryLater(Task task) {
            try {
                task.future = timer.schedule(() -> fire(task), RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopped) {
                // the server is stopping
            }
        }
    }

    /** A task that fails on every run is logged in full once, then at most once a minute with a count. */
    private static final class FailureLog {
        private static final long QUIET_NANOS = TimeUnit.MINUTES.toNanos(1);
        private long lastLogged;
        private long unlogged;
        private boolean loggedOnce;

        synchronized void failed(String pluginId, Runnable task, Throwable e) {
            long now = System.nanoTime();
            if (!loggedOnce) {
                loggedOnce = true;
                lastLogged = now;
                LOG.warn("[{}] scheduled task {} failed (its schedule goes on): {}", pluginId, task.getClass().getName(),
                        e.toString(), e);
            } else if (now - lastLogged >= QUIET_NANOS) {
                LOG.warn("[{}] scheduled task {} failed {} more times in the last minute or more, lately: {}", pluginId,
                        task.getClass().getName(), unlogged + 1, e.toString());
                lastLogged = now;
                unlogged = 0;
            } else {
                unlogged++;
            }
        }
    }

    private final class PluginEvents implements Events {
        private final String pluginId;

        PluginEvents(String pluginId) {
            this.pluginId = pluginId;
        }

        @Override
        public void publish(Event event) {
            events.publish(event);
        }

        @Override
        public Registration subscribe(String pattern, EventListener listener) {
            return hold(pluginId, events.listen(pluginId, pattern, listener));
        }
    }

    /**
     * Which plugin may read which secret flag through {@link ServerInfo#secret}: one plugin per secret, fixed
     * here in the core (a plugin cannot grant itself one by declaring it).
     */
    static final Map<String, String> SECRET_GRANTS = Map.of("management-token", "management-sync");

    private final class Info implements ServerInfo {
        private final Map<String, String> flags = config.pluginVisibleFlags();
        private final String pluginId;

        Info(String pluginId) {
            this.pluginId = pluginId;
        }

        @Override
        public java.util.Optional<String> secret(String name) {
            if (name == null || !pluginId.equals(SECRET_GRANTS.get(name))) {
                return java.util.Optional.empty();
            }
            return switch (name) {
                case "management-token" -> java.util.Optional.ofNullable(config.managementToken()).filter(t -> !t.isBlank());
                default -> java.util.Optional.empty();
            };
        }

        @Override
        public String role() {
            return config.role().name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public String version() {
            return Main.VERSION;
        }

        @Override
        public Path dataDir() {
            return config.dataDir();
        }

        @Override
        public Map<String, String> flags() {
            return flags;
        }
    }
}
