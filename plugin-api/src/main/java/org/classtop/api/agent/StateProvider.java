package org.classtop.api.agent;

/**
 * Supplies one section of the agent's {@code state_update} (e.g. {@code settings} or
 * {@code cctv_state}). Call {@link AgentContext#stateChanged()} whenever it changes.
 */
@FunctionalInterface
public interface StateProvider {
    Object currentState() throws Exception;
}
