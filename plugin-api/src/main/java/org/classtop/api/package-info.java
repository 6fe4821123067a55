/**
 * The ClassTop plugin API: the only dependency a plugin needs (scope {@code provided}).
 *
 * <p>A plugin is one jar with two sides. The server looks up {@link org.classtop.api.server.ServerPlugin}
 * extensions, the agent {@link org.classtop.api.agent.AgentPlugin} extensions. Both declare what they
 * contribute in {@code configure()}; the platform owns the registries, instantiates the declared classes
 * through a Guice child injector per plugin and removes exactly those registrations when the plugin stops.
 *
 * <p>Classes of this package, PF4J, Guice, jakarta.inject, SLF4J and Jackson are always loaded from the
 * platform, never from a plugin jar: keep them {@code provided}.
 */
package org.classtop.api;
