package org.classtop.testing.lane;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.classtop.api.server.AgentStreamReceiver;
import org.classtop.api.server.ServerPlugin;
import org.classtop.testing.TestServer;
import org.junit.jupiter.api.Test;

/** agentStreams(..) declarations that cannot work fail the plugin loudly, with a sentence. */
class AgentStreamDeclarationTest {
    static final class Nothing implements AgentStreamReceiver {
    }

    static final class Other implements AgentStreamReceiver {
    }

    private static JsonNode plugin(TestServer server, String id) {
        for (JsonNode plugin : server.api().get("/api/plugins").data()) {
            if (plugin.path("id").asText().equals(id)) {
                return plugin;
            }
        }
        throw new AssertionError("no plugin " + id);
    }

    @Test
    void aBadPatternOrTheSameStreamTwiceFailsThePluginByName() {
        try (TestServer server = TestServer.builder()
                .plugin("bad-pattern", new ServerPlugin() {
                    @Override
                    protected void configure() {
                        agentStreams("../preview").to(Nothing.class);
                    }
                })
                .plugin("twice", new ServerPlugin() {
                    @Override
                    protected void configure() {
                        agentStreams("preview.*").to(Nothing.class);
                        agentStreams("preview.*").to(Other.class);
                    }
                })
                .plugin("fine", new ServerPlugin() {
                    @Override
                    protected void configure() {
                        agentStreams("preview.*").to(Nothing.class);
                        agentStreams("preview.main").to(Other.class);
                    }
                })
                .start()) {
            JsonNode bad = plugin(server, "bad-pattern");
            assertEquals("failed", bad.path("state").asText());
            assertTrue(bad.path("error").asText().contains("../preview"), bad.toString());
            JsonNode twice = plugin(server, "twice");
            assertEquals("failed", twice.path("state").asText());
            assertTrue(twice.path("error").asText().contains("already received by"), twice.toString());
            assertEquals("started", plugin(server, "fine").path("state").asText());
        }
    }
}
