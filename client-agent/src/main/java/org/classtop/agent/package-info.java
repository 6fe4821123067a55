/**
 * The ClassTop client agent ({@code bin/classtop-agent}, main class {@link org.classtop.agent.Main}).
 *
 * <p>{@link org.classtop.agent.AgentRuntime} composes the parts: {@link org.classtop.agent.AgentIdentityStore}
 * ({@code agent.json}: uuid and credential), the plugin host (PF4J with parent-first class loading, one Guice
 * child injector per plugin), the {@link org.classtop.agent.CommandDispatcher}, the state publisher, and the
 * connection supervisor that keeps one WebSocket open with {@link org.classtop.agent.ReconnectPolicy}'s backoff.
 * Tests run it in-process with {@code AgentRuntime.builder(config).plugin(id, plugin).build()}.
 */
package org.classtop.agent;
