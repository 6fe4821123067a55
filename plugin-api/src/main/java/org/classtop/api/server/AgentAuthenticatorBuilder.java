package org.classtop.api.server;

/** Declares the {@link AgentAuthenticator} of one agent {@code client_type}. */
public interface AgentAuthenticatorBuilder {
    void to(Class<? extends AgentAuthenticator> authenticator);
}
