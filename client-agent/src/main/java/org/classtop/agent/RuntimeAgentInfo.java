package org.classtop.agent;

import java.net.URI;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.classtop.api.agent.AgentInfo;

/** {@link AgentInfo} from the runtime's configuration and identity. */
record RuntimeAgentInfo(Supplier<String> uuid, URI serverUrl, Path dataDir, String agentVersion) implements AgentInfo {
    @Override
    public String clientUuid() {
        return uuid.get();
    }
}
