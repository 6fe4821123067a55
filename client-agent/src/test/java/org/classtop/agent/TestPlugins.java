package org.classtop.agent;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.Lifecycle;
import org.classtop.api.PluginContext;
import org.classtop.api.agent.AgentContext;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandException;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.api.agent.StateProvider;

/** In-process plugins for the runtime tests. */
final class TestPlugins {
    private TestPlugins() {
    }

    /** echo, fail, refuse, boom, nothing, bump and where; state section "echo". */
    static final class EchoPlugin extends AgentPlugin {
        @Override
        protected void configure() {
            command("echo").description("Answers its params").to(Echo.class);
            command("fail").to(Fail.class);
            command("refuse").to(Refuse.class);
            command("boom").to(Boom.class);
            command("nothing").to(Nothing.class);
            command("bump").to(Bump.class);
            command("where").to(Where.class);
            state("echo", Counter.class);
        }
    }

    static final class Echo implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            return Map.of("params", request.params(), "thread", Thread.currentThread().getName());
        }
    }

    static final class Fail implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            throw new CommandException("The echo failed on purpose.");
        }
    }

    static final class Refuse implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            throw CommandException.withCode("ECHO_REFUSED", "The echo refused on purpose.");
        }
    }

    static final class Boom implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            throw new IllegalStateException("kaput");
        }
    }

    static final class Nothing implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            return null;
        }
    }

    @Singleton
    static final class Counter implements StateProvider {
        private final AtomicInteger count = new AtomicInteger();

        int increment() {
            return count.incrementAndGet();
        }

        @Override
        public Object currentState() {
            return Map.of("counter", count.get());
        }
    }

    static final class Bump implements CommandHandler {
        private final Counter counter;
        private final AgentContext context;

        @Inject
        Bump(Counter counter, AgentContext context) {
            this.counter = counter;
            this.context = context;
        }

        @Override
        public Object handle(CommandRequest request) {
            int value = counter.increment();
            context.stateChanged();
            context.emit("bumped", Map.of("counter", value));
            return Map.of("counter", value);
        }
    }

    static final class Where implements CommandHandler {
        private final PluginContext plugin;

        @Inject
        Where(PluginContext plugin) {
            this.plugin = plugin;
        }

        @Override
        public Object handle(CommandRequest request) {
            return Map.of("plugin", plugin.pluginId(), "data_dir", plugin.dataDir().toString(),
                    "greeting", plugin.config("greeting").orElse("none"));
        }
    }

    /** Declares "echo" again: must be refused while EchoPlugin runs. */
    static final class SecondEchoPlugin extends AgentPlugin {
        @Override
        protected void configure() {
            command("echo").to(Echo.class);
            command("second_only").to(Echo.class);
        }
    }

    static final class BrokenPlugin extends AgentPlugin {
        @Override
        protected void configure() {
            throw new IllegalStateException("this plugin cannot even configure");
        }
    }

    /** Two lifecycles that record their calls into {@link #CALLS}. */
    static final class LifecyclePlugin extends AgentPlugin {
        static final List<String> CALLS = new CopyOnWriteArrayList<>();

        @Override
        protected void configure() {
            lifecycle(First.class);
            lifecycle(Second.class);
            command("lifecycle_calls").to(Calls.class);
        }
    }

    static final class First implements Lifecycle {
        @Override
        public void start() {
            LifecyclePlugin.CALLS.add("start first");
        }

        @Override
        public void stop() {
            LifecyclePlugin.CALLS.add("stop first");
        }
    }

    static final class Second implements Lifecycle {
        @Override
        public void start() {
            LifecyclePlugin.CALLS.add("start second");
        }

        @Override
        public void stop() {
            LifecyclePlugin.CALLS.add("stop second");
        }
    }

    static final class Calls implements CommandHandler {
        @Override
        public Object handle(CommandRequest request) {
            return Map.of("calls", List.copyOf(LifecyclePlugin.CALLS));
        }
    }

    /** A lifecycle that cannot start: its plugin's commands must be removed again. */
    static final class FailingStartPlugin extends AgentPlugin {
        @Override
        protected void configure() {
            command("never_there").to(Echo.class);
            lifecycle(CannotStart.class);
        }
    }

    static final class CannotStart implements Lifecycle {
        @Override
        public void start() {
            throw new IllegalStateException("no camera");
        }
    }
}
