package org.classtop.testplugins;

import jakarta.inject.Inject;
import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;
import org.classtop.pluginloader.DefaultPluginContext;

/** A handler of an in-process plugin that asks for a platform class (one the platform injector binds). */
public final class PeeksAtPlatform implements CommandHandler {
    @Inject
    public PeeksAtPlatform(DefaultPluginContext platformOwn) {
    }

    @Override
    public Object handle(CommandRequest request) {
        return "peeked";
    }
}
