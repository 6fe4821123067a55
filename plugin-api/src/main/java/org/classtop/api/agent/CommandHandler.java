package org.classtop.api.agent;

/**
 * Answers one command on the agent. Return the answer's {@code data} (a map, list or value; null
 * means {@code {}}); throw {@link CommandException} with a sentence for a failure. Runs on the
 * agent's command executor, so it may block.
 */
@FunctionalInterface
public interface CommandHandler {
    Object handle(CommandRequest request) throws Exception;
}
