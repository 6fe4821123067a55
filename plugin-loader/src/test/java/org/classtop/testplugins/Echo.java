package org.classtop.testplugins;

import org.classtop.api.agent.CommandHandler;
import org.classtop.api.agent.CommandRequest;

/** Answers the command's own name. */
public final class Echo implements CommandHandler {
    @Override
    public Object handle(CommandRequest request) {
        return request.command();
    }
}
