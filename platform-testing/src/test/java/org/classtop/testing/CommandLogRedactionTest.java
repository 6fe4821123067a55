package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A password in a URL parameter (a camera's rtsp://user:pass@...) reaches the agent but never the command log. */
class CommandLogRedactionTest {
    @Test
    void urlPasswordsAreKeptOutOfTheCommandLog() {
        AtomicReference<JsonNode> received = new AtomicReference<>();
        try (TestServer server = TestServer.builder().start();
             FakeAgent agent = server.agent("cam-pc", "Camera PC", a -> a.on("add_camera", p -> {
                 received.set(p);
                 return Map.of("ok", true);
             }))) {
            Map<String, Object> params = Map.of("camera_id", "door", "source", "rtsp://admin:s3cret@10.0.0.7:554/stream1",
                    "also", List.of(Map.of("url", "rtmp://u:p%40ss@live.example/app")), "plain", "http://host/no-user");
            ApiResult answer = server.api().post("/api/clients/cam-pc/command", Map.of("command", "add_camera", "params", params));
            assertEquals(200, answer.status(), answer.toString());
            assertEquals("rtsp://admin:s3cret@10.0.0.7:554/stream1", received.get().path("source").asText(), "the agent gets it as sent");

            String log = server.api().get("/api/commands?client=cam-pc").text();
            assertFalse(log.contains("s3cret"), log);
            assertFalse(log.contains("p%40ss"), log);
            assertTrue(log.contains("rtsp://admin:***@10.0.0.7:554/stream1"), log);
            assertTrue(log.contains("rtmp://u:***@live.example/app"), log);
            assertTrue(log.contains("http://host/no-user"), log);
        }
    }
}
