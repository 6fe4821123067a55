package org.classtop.plugins.videosources;

import org.classtop.api.agent.AgentPlugin;
import org.pf4j.Extension;

/**
 * The agent side of video-sources declares nothing: on an agent the plugin only carries javacv, JavaCPP and
 * FFmpeg (natives included) and the shared frame fan-out for the plugins that depend on it (cctv-cameras,
 * cctv-recording, cctv-storage), so those libraries are in one jar on the agent too.
 */
@Extension
public final class VideoSourcesAgentPlugin extends AgentPlugin {
    @Override
    protected void configure() {
        // Nothing to declare: the jar's classes are what the dependent plugins need.
    }
}
