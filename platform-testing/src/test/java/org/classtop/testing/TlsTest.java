package org.classtop.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.agent.ReconnectPolicy;
import org.classtop.core.config.ServerConfig;
import org.classtop.core.tls.Fingerprints;
import org.classtop.core.tls.PemFiles;
import org.classtop.core.tls.SelfSignedCertificate;
import org.classtop.core.tls.TlsSetupException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS without a reverse proxy (SPEC section 8): the server on HTTPS/WSS with a self-signed or a given
 * certificate, and the real agent runtime pinning it, trusting it on first use, refusing a changed one and
 * never sending its credential over plain ws:// once it has seen TLS.
 */
class TlsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(30));
    private static final ServerConfig.Tls SELF_SIGNED = new ServerConfig.Tls(null, null, true, null);
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    @TempDir
    Path temp;

    private final java.util.List<AutoCloseable> open = new java.util.ArrayList<>();
    private final CapturedLog agentLog = new CapturedLog("org.classtop.agent.ConnectionSupervisor");

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        agentLog.close();
    }

    private TestServer server(TestServer.Builder builder) {
        TestServer server = builder.plugin("notes", new NotesPlugin.Server(), new NotesPlugin.Agent()).start();
        open.add(server);
        return server;
    }

    private AgentRuntime agent(String url, Path data, String pin, KeyStore trusted) throws Exception {
        AgentRuntime.Builder builder = AgentRuntime.builder(AgentConfig.builder(URI.create(url))
                        .dataDir(data).clientUuid("lab-pc-1").name("Lab PC 1").serverFingerprint(pin).build())
                .reconnectPolicy(FAST)
                .plugin("notes", new NotesPlugin.Agent());
        if (trusted != null) {
            builder.trustedCertificates(trusted);
        }
        AgentRuntime agent = builder.build();
        open.add(agent);
        agent.start();
        return agent;
    }

    private static JsonNode agentJson(Path data) throws Exception {
        return new ObjectMapper().readTree(data.resolve("agent.json").toFile());
    }

    private String awaitRefusal(String... parts) {
        return Poll.value("the agent to log why it does not connect", WAIT, () -> agentLog.lineWith(parts), line -> line != null);
    }

    // ---- server -------------------------------------------------------------------------------

    @Test
    void selfSignedCertificateIsMadeOnceServesHttpsOnlyAndShowsItsFingerprint() throws Exception {
        TestServer server = server(TestServer.builder().dataDir(temp.resolve("server")).tls(SELF_SIGNED));
        assertTrue(server.baseUrl().startsWith("https://"));
        ApiResult health = server.api().anonymous().get("/healthz");
        assertEquals(200, health.status(), health.toString());
        assertEquals("ok", health.json().path("status").asText());

        Path certFile = SelfSignedCertificate.certFile(server.dataDir());
        X509Certificate certificate = PemFiles.readCertificates(certFile).get(0);
        String fingerprint = server.server().tls().fingerprint();
        assertTrue(HEX64.matcher(fingerprint).matches(), fingerprint);
        assertEquals(Fingerprints.sha256(certificate), fingerprint);
        JsonNode tls = server.api().get("/api/system/status").data().path("tls");
        assertTrue(tls.path("enabled").asBoolean(), tls.toString());
        assertEquals(fingerprint, tls.path("fingerprint_sha256").asText());

        var names = certificate.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertTrue(names.contains("localhost") && names.contains("127.0.0.1"), names.toString());
        long days = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()).toDays();
        assertTrue(days >= 3650, "valid for 10 years, not " + days + " days");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(SelfSignedCertificate.keyFile(server.dataDir()))));

        // Nothing plain is listening: the TLS port does not speak HTTP, and there is no second listener.
        assertTrue(server.server().plainHttpPort().isEmpty());
        ApiClient plain = new ApiClient("http://127.0.0.1:" + server.port(), Map.of());
        assertThrows(UncheckedIOException.class, () -> plain.get("/healthz"));

        server.restart();
        assertEquals(fingerprint, server.server().tls().fingerprint(), "the certificate is made once and reused");
        assertEquals(200, server.api().get("/healthz").status());
    }

    @Test
    void httpPortServesPlainHttpNextToHttps() {
        TestServer server = server(TestServer.builder().tls(new ServerConfig.Tls(null, null, true, 0)));
        assertTrue(server.server().plainHttpPort().isPresent());
        assertEquals(200, server.api().get("/healthz").status());
        ApiResult plain = new ApiClient(server.plainBaseUrl(), Map.of()).get("/healthz");
        assertEquals(200, plain.status(), plain.toString());
    }

    @Test
    void withTlsTheSessionCookieIsSecure() {
        TestServer server = server(TestServer.builder().tls(SELF_SIGNED));
        assertEquals(201, server.api().post("/api/users", Map.of("username", "tls-user", "password", "long enough 1", "role", "viewer")).status());
        ApiResult login = server.api().anonymous().post("/api/auth/login", Map.of("username", "tls-user", "password", "long enough 1"));
        assertEquals(200, login.status(), login.toString());
        String cookie = login.header("Set-Cookie");
        assertTrue(cookie.contains("; Secure") && cookie.contains("HttpOnly"), cookie);
    }

    @Test
    void givenPemChainAndPkcs1RsaKeyAreServed() throws Exception {
        TestCertificates.Authority ca = TestCertificates.authority("School CA");
        TestCertificates.Issued issued = ca.issue(TestCertificates.rsa(), "localhost", "127.0.0.1");
        Path cert = issued.writeChain(temp.resolve("chain.pem"));
        Path key = TestCertificates.writeTraditional(temp.resolve("key.pem"), issued.keys().getPrivate());
        assertTrue(Files.readString(key).contains("BEGIN RSA PRIVATE KEY"));
        TestServer server = server(TestServer.builder().tls(new ServerConfig.Tls(cert, key, false, null)));

        // A client that knows only the CA accepts the server: the listener sends the whole chain.
        ApiClient client = new ApiClient(server.baseUrl(), Map.of(), TestCertificates.trusting(ca.certificate()));
        assertEquals(200, client.get("/healthz").status());
        assertEquals(Fingerprints.sha256(issued.certificate()), server.server().tls().fingerprint());
    }

    @Test
    void brokenOrMismatchedPemFilesStopTheStartWithAReadableSentence() throws Exception {
        TestCertificates.Issued issued = TestCertificates.selfSigned(TestCertificates.ec(), "localhost");
        Path cert = issued.writeChain(temp.resolve("cert.pem"));
        Path broken = Files.writeString(temp.resolve("broken-key.pem"), "this is not a key\n");
        TlsSetupException notAKey = assertThrows(TlsSetupException.class,
                () -> server(TestServer.builder().tls(new ServerConfig.Tls(cert, broken, false, null))));
        assertEquals("The TLS key " + broken + " is not a PEM private key.", notAKey.getMessage());
        assertTrue(notAKey.getCause() == null, "Main prints the innermost message: no cause may hide the sentence");

        Path otherKey = TestCertificates.writePkcs8(temp.resolve("other-key.pem"), TestCertificates.ec().getPrivate());
        TlsSetupException mismatch = assertThrows(TlsSetupException.class,
                () -> server(TestServer.builder().tls(new ServerConfig.Tls(cert, otherKey, false, null))));
        assertTrue(mismatch.getMessage().startsWith("The TLS key " + otherKey + " does not belong to the certificate "),
                mismatch.getMessage());
    }

    // ---- agent ------------------------------------------------------------------------------

    @Test
    void agentPinnedByFlagConnectsEnrolsAndAnswersCommands() throws Exception {
        TestServer server = server(TestServer.builder().tls(SELF_SIGNED));
        String fingerprint = server.server().tls().fingerprint();
        String colonUpperCase = String.join(":", fingerprint.toUpperCase(Locale.ROOT).split("(?<=\\G..)"));
        Path data = temp.resolve("agent");

        AgentRuntime agent = agent(server.baseUrl(), data, colonUpperCase, null);
        agent.firstRegistration().get(15, TimeUnit.SECONDS);
        assertTrue(agent.identity().issuedCredential().isPresent(), "enrolled over wss");
        assertEquals(200, server.api().put("/api/notes/lab-pc-1/theme", Map.of("value", "dark")).status());
        assertEquals("dark", server.api().get("/api/notes/lab-pc-1/theme").data().path("value").asText());

        JsonNode stored = agentJson(data);
        assertTrue(stored.path("server_tls").asBoolean());
        assertEquals(fingerprint, stored.path("server_fingerprint").asText());
    }

    @Test
    void agentPinnedToAnotherCertificateRefusesAndTheServerNeverSeesIt() throws Exception {
        TestServer server = server(TestServer.builder().tls(SELF_SIGNED));
        String fingerprint = server.server().tls().fingerprint();
        String otherPin = HexFormat.of().formatHex(new byte[32]);

        AgentRuntime agent = agent(server.baseUrl(), temp.resolve("agent"), otherPin, null);
        String line = awaitRefusal("Cannot connect", fingerprint, otherPin);
        assertTrue(line.contains("--server-fingerprint " + fingerprint), line);
        assertFalse(agent.isRegistered());
        assertEquals(404, server.api().get("/api/clients/lab-pc-1").status(), "no register frame reached the server");
        assertFalse(agentJson(temp.resolve("agent")).path("server_tls").asBoolean());
    }

    @Test
    void selfSignedCertificateIsTrustedOnFirstUseAndAChangedOneIsRefused() throws Exception {
        Path serverData = temp.resolve("server");
        Path agentData = temp.resolve("agent");
        TestServer first = server(TestServer.builder().dataDir(serverData).tls(SELF_SIGNED));
        String firstFingerprint = first.server().tls().fingerprint();
        AgentRuntime agent = agent(first.baseUrl(), agentData, null, null);
        agent.firstRegistration().get(15, TimeUnit.SECONDS);
        assertTrue(agent.identity().issuedCredential().isPresent());
        assertEquals(firstFingerprint, agentJson(agentData).path("server_fingerprint").asText(), "pinned on first use");
        agent.close();
        first.close();

        // The same server (same database, so the credential is still valid) with a new certificate.
        TestCertificates.Issued replacement = TestCertificates.selfSigned(TestCertificates.ec(), "localhost", "127.0.0.1");
        Path cert = replacement.writeChain(temp.resolve("new-cert.pem"));
        Path key = TestCertificates.writePkcs8(temp.resolve("new-key.pem"), replacement.keys().getPrivate());
        TestServer second = server(TestServer.builder().dataDir(serverData).tls(new ServerConfig.Tls(cert, key, false, null)));
        String secondFingerprint = second.server().tls().fingerprint();
        long connectionsBefore = connections(second);

        AgentRuntime refused = agent(second.baseUrl(), agentData, null, null);
        String line = awaitRefusal("Cannot connect", "has changed", firstFingerprint, secondFingerprint);
        assertTrue(line.contains("--server-fingerprint " + secondFingerprint) && line.contains("agent.json"), line);
        assertFalse(refused.isRegistered());
        assertFalse(second.api().get("/api/clients/lab-pc-1").data().path("online").asBoolean());
        assertEquals(connectionsBefore, connections(second), "no register frame reached the server");
        refused.close();

        // The fix the log line names: run with the new fingerprint.
        AgentRuntime fixed = agent(second.baseUrl(), agentData, secondFingerprint, null);
        fixed.firstRegistration().get(15, TimeUnit.SECONDS);
        assertEquals(secondFingerprint, agentJson(agentData).path("server_fingerprint").asText());
    }

    @Test
    void enrolledAgentDoesNotTrustANewSelfSignedCertificateOnFirstUse() throws Exception {
        Path serverData = temp.resolve("server");
        Path agentData = temp.resolve("agent");
        TestServer plain = server(TestServer.builder().dataDir(serverData));
        AgentRuntime agent = agent(plain.baseUrl(), agentData, null, null);
        agent.firstRegistration().get(15, TimeUnit.SECONDS);
        agent.close();
        plain.close();

        TestServer tls = server(TestServer.builder().dataDir(serverData).tls(SELF_SIGNED));
        agent(tls.baseUrl(), agentData, null, null);
        String line = awaitRefusal("Cannot connect", "not trusted by this machine", tls.server().tls().fingerprint());
        assertTrue(line.contains("--server-fingerprint " + tls.server().tls().fingerprint()), line);
        assertFalse(agentJson(agentData).has("server_fingerprint"));
    }

    @Test
    void certificateTheMachineTrustsIsAcceptedForItsHostNameAndNotPinned() throws Exception {
        Path serverData = temp.resolve("server");
        Path agentData = temp.resolve("agent");
        TestCertificates.Authority ca = TestCertificates.authority("School CA");
        KeyStore machineTrust = TestCertificates.trustStore(ca.certificate());
        TestCertificates.Issued right = ca.issue(TestCertificates.ec(), "localhost", "127.0.0.1");
        TestServer first = server(TestServer.builder().dataDir(serverData).tls(new ServerConfig.Tls(
                right.writeChain(temp.resolve("right.pem")),
                TestCertificates.writePkcs8(temp.resolve("right-key.pem"), right.keys().getPrivate()), false, null)));
        AgentRuntime agent = agent(first.baseUrl(), agentData, null, machineTrust);
        agent.firstRegistration().get(15, TimeUnit.SECONDS);
        JsonNode stored = agentJson(agentData);
        assertTrue(stored.path("server_tls").asBoolean());
        assertFalse(stored.has("server_fingerprint"), "a CA certificate is renewed often: not pinned");
        agent.close();
        first.close();

        // Same CA, but issued for another host: the host-name check refuses it, and an enrolled agent does not
        // fall back to trusting it on first use.
        KeyPair keys = TestCertificates.ec();
        TestCertificates.Issued wrongName = ca.issue(keys, "printer.school.example");
        TestServer second = server(TestServer.builder().dataDir(serverData).tls(new ServerConfig.Tls(
                wrongName.writeChain(temp.resolve("wrong.pem")),
                TestCertificates.writePkcs8(temp.resolve("wrong-key.pem"), keys.getPrivate()), false, null)));
        agent(second.baseUrl(), agentData, null, machineTrust);
        awaitRefusal("Cannot connect", "not trusted by this machine", second.server().tls().fingerprint());
    }

    @Test
    void credentialIsNeverSentOverPlainWsAfterTls() throws Exception {
        TestServer server = server(TestServer.builder().tls(new ServerConfig.Tls(null, null, true, 0)));
        Path agentData = temp.resolve("agent");
        AgentRuntime agent = agent(server.baseUrl(), agentData, null, null);
        agent.firstRegistration().get(15, TimeUnit.SECONDS);
        agent.close();
        Poll.until("the TLS connection and its end logged", WAIT, () -> connections(server) == 2);
        long connectionsBefore = connections(server);

        AgentRuntime downgraded = agent(server.plainBaseUrl(), agentData, null, null);
        String line = awaitRefusal("Not connecting", "will not send its credential over plain ws://");
        assertTrue(line.contains("Use https://"), line);
        Poll.until("a second refused attempt", WAIT, () -> agentLog.lines().stream()
                .filter(l -> l.contains("will not send its credential")).count() >= 2);
        assertFalse(downgraded.isRegistered());
        assertFalse(server.api().get("/api/clients/lab-pc-1").data().path("online").asBoolean());
        assertEquals(connectionsBefore, connections(server), "no register frame carrying the credential arrived");
    }

    /** Rows in the client's connection history (connected, disconnected, refused). */
    private static long connections(TestServer server) {
        ApiResult result = server.api().get("/api/clients/lab-pc-1/connections");
        return result.status() == 404 ? 0 : result.data().size();
    }
}
