package org.classtop.agent;

import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** A provider plugin that exports {@link Tally} and a consumer that injects it (AgentRuntimeTest). */
final class ServicePlugins {
    private ServicePlugins() {
    }

    public interface Tally {
        int add();
    }

    public static final class SharedTally implements Tally {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public int add() {
            return count.incrementAndGet();
        }
    }

    static final class Provider extends AgentPlugin {
        @Override
        protected void configure() {
            export(Tally.class).to(SharedTally.class);
            command("tally_provider").to(Add.class);
        }
    }

    static final class Consumer extends AgentPlugin {
        @Override
        protected void configure() {
            command("tally_consumer").to(Add.class);
        }
    }

    public static final class Add implements CommandHandler {
        private final Tally tally;

        @Inject
        public Add(Tally tally) {
            this.tally = tally;
        }

        @Override
        public Object handle(CommandRequest request) {
            return Map.of("count", tally.add());
        }
    }
}
