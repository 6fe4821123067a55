package org.classtop.api.agent;

import java.net.URI;
import java.nio.file.Path;

/** What a plugin may know of the agent it runs in. Injectable into any agent-side class. */
public interface AgentInfo {
    /** This agent's client uuid. */
    String clientUuid();

    /** The server it connects to ({@code --server}), e.g. {@code http://lms.school.lan:8000}. */
    URI serverUrl();

    /** The agent's data folder ({@code --data}); a plugin's own folder is {@code PluginContext.dataDir()}. */
    Path dataDir();

    /** The agent's version, e.g. {@code 0.1.0}. */
    String agentVersion();
}
