package org.classtop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.classtop.testing.Poll;
import org.classtop.testing.TestCertificates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** TLS from the distribution (SPEC section 8): the printed fingerprint pins the agent; a broken key stops the start. */
class TlsIT {
    private static final Duration CONNECT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @RegisterExtension
    final StartedResources started = new StartedResources();

    @Test
    void agentPinnedToThePrintedFingerprintConnectsOverWss() throws Exception {
        LmsServer server = started.track(LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                "--tls", "self-signed", "--enrollment", "open"));
        assertTrue(server.url().startsWith("https://"), server.url());
        String fingerprint = server.fingerprint();
        String stdout = server.process().stdout();
        assertTrue(stdout.indexOf("TLS certificate SHA-256 fingerprint: ") < stdout.indexOf("classtop-lms listening on https://"),
                "the fingerprint comes before the ready line" + server.process().describe());
        assertEquals(fingerprint, server.api().get("/api/system/status").data().path("tls").path("fingerprint_sha256").asText());

        Path agentData = work.resolve("agent-data");
        AgentProcess agent = started.track(AgentProcess.start(work, server.url(), "Room 201", agentData, null,
                "--server-fingerprint", fingerprint));
        agent.awaitConnected(CONNECT);
        String uuid = agent.uuid();
        Poll.until("the agent online over wss", Duration.ofSeconds(30), () -> server.isOnline(uuid));
        assertTrue(Files.readString(agentData.resolve("agent.json")).contains(fingerprint), "pinned in agent.json");
    }

    @Test
    void aBrokenKeyStopsTheServerWithOneReadableLine() throws Exception {
        Path cert = TestCertificates.selfSigned(TestCertificates.ec(), "localhost").writeChain(work.resolve("cert.pem"));
        Path key = Files.writeString(work.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
        LaunchedProcess server = started.track(LaunchedProcess.start("classtop-lms", List.of("--port", "0", "--bind", "127.0.0.1",
                "--data", work.resolve("data").toString(), "--tls-cert", cert.toString(), "--tls-key", key.toString()),
                Map.of(), work));
        assertEquals(1, server.awaitExit(CONNECT), server.describe());
        assertTrue(server.stderr().contains("classtop-lms: could not start: The TLS key " + key + " is not a PEM private key"),
                server.describe());
    }
}
