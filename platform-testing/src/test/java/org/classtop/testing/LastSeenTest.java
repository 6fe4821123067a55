package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import org.classtop.core.storage.ClientRepository;
import org.junit.jupiter.api.Test;

/**
 * "Last seen" follows the heartbeats of a connected client: in the API at once (memory), in the database
 * in a batch a few heartbeat intervals later. Every change gives the client's view a larger version.
 */
class LastSeenTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static Instant lastSeen(TestServer server, String uuid) {
        return Instant.parse(server.api().get("/api/clients/" + uuid).data().path("last_seen").asText());
    }

    @Test
    void lastSeenFollowsHeartbeatsAndReachesTheDatabaseInABatch() throws Exception {
        try (TestServer server = TestServer.builder().heartbeat(Duration.ofMillis(1000)).start();
             FakeAgent agent = server.agent("seen-1", "Room 7", a -> { })) {
            JsonNode first = server.api().get("/api/clients/seen-1").data();
            assertTrue(first.path("online").asBoolean());
            Instant connectedAt = Instant.parse(first.path("last_seen").asText());
            long firstVersion = first.path("version").asLong();

            // heartbeats go on; last seen must move past the connect time
            Instant moved = Poll.value("last_seen moved past the connect time", WAIT, () -> {
                agent.heartbeat();
                sleep(300);
                return lastSeen(server, "seen-1");
            }, seen -> seen.isAfter(connectedAt));
            assertTrue(server.api().get("/api/clients/seen-1").data().path("version").asLong() > firstVersion,
                    "a moved last seen is a new version of the view");
            JsonNode listed = server.api().get("/api/clients/").data().get(0);
            assertEquals("seen-1", listed.path("uuid").asText());
            assertTrue(listed.has("version"), listed.toString());

            ClientRepository repository = server.server().injector().getInstance(ClientRepository.class);
            Poll.until("the moved last seen is written to the database", WAIT, () -> {
                agent.heartbeat();
                Instant stored = repository.find("seen-1").orElseThrow().lastSeen();
                return stored != null && !stored.isBefore(moved);
            });
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
