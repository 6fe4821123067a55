package org.classtop.api.server;

/** Declares who receives some of the plugin's agent streams; finish with {@link #to(Class)}. */
public interface AgentStreamBuilder {
    void to(Class<? extends AgentStreamReceiver> receiver);
}
