package org.classtop.testplugins;

import jakarta.inject.Inject;
import java.util.Map;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

public final class Greet implements CommandHandler {
    private final Greeter greeter;

    @Inject
    public Greet(Greeter greeter) {
        this.greeter = greeter;
    }

    @Override
    public Object handle(CommandRequest request) {
        return Map.of("count", greeter.greet(), "greeter", System.identityHashCode(greeter),
                "greeter_loader", String.valueOf(greeter.getClass().getClassLoader()));
    }
}
