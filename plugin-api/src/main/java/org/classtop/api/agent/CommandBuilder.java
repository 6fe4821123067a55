package org.classtop.api.agent;

/** Declares one agent command; finish with {@link #to(Class)}. */
public interface CommandBuilder {
    /** One line for the command console and the plugins page. */
    CommandBuilder description(String description);

    /** An example {@code params} object (JSON text). */
    CommandBuilder paramsExample(String json);

    void to(Class<? extends CommandHandler> handler);
}
