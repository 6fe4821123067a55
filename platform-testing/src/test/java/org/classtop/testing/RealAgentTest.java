package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.config.ServerConfig.EnrollmentMode;
import org.junit.jupiter.api.Test;

/** The real-agent fixture: online when start() returns, approved on an approving server, gone after close(). */
class RealAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @Test
    void startsOnlineRunsItsPluginsCommandsAndGoesOfflineOnClose() {
        try (TestServer server = TestServer.builder().plugin("notes", new NotesPlugin.Server(), new NotesPlugin.Agent()).start()) {
            Path data;
            try (RealAgent pc = server.realAgent("pc-1").name("Room 1").plugin("notes", new NotesPlugin.Agent()).start()) {
                data = pc.dataDir();
                assertTrue(server.api().get("/api/clients/pc-1").data().path("online").asBoolean());
                assertEquals("Room 1", server.api().get("/api/clients/pc-1").data().path("name").asText());
                assertEquals(List.of("get_note", "set_note"), pc.commands());
                assertEquals(200, server.api().put("/api/notes/pc-1/theme", Map.of("value", "dark")).status());
                assertEquals("dark", server.api().get("/api/notes/pc-1/theme").data().path("value").asText());
                ApiResult missing = server.api().get("/api/notes/pc-1/nothing");
                assertEquals(502, missing.status(), missing.toString());
                assertEquals("There is no note 'nothing'.", missing.error());
            }
            Poll.until("pc-1 to be offline", WAIT, () -> !server.api().get("/api/clients/pc-1").data().path("online").asBoolean());
            assertFalse(Files.exists(data), "its temporary data folder is removed");
        }
    }

    @Test
    void onAnApprovingServerItIsApprovedUnlessToldNot() {
        try (TestServer server = TestServer.builder().enrollment(EnrollmentMode.APPROVE).start();
             RealAgent approved = server.realAgent("pc-approved").start();
             RealAgent pending = server.realAgent("pc-pending").approve(false).start()) {
            assertEquals("approved", server.api().get("/api/clients/pc-approved").data().path("enrollment").asText());
            assertEquals("pending", server.api().get("/api/clients/pc-pending").data().path("enrollment").asText());
            assertTrue(approved.runtime().isRegistered());
        }
    }

    @Test
    void connectsToATlsServerTrustingItsCertificate() {
        try (TestServer server = TestServer.builder().tls(new ServerConfig.Tls(null, null, true, null))
                .plugin("notes", new NotesPlugin.Server(), new NotesPlugin.Agent()).start();
             RealAgent pc = server.realAgent("pc-tls").plugin("notes", new NotesPlugin.Agent()).start()) {
            assertEquals(200, server.api().put("/api/notes/pc-tls/k", Map.of("value", "v")).status());
        }
    }
}
