package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.classtop.api.agent.AgentPlugin;
import org.classtop.api.agent.SyncProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dual mode against a stand-in centre over real HTTP (and the scripted WebSocket server as LMS). */
class DualModeTest {
    @TempDir
    Path dataDir;

    StubCentre centre;
    FakeServer lms;
    AgentRuntime agent;

    /** Courses whose content a test changes. */
    @Singleton
    static final class Courses implements SyncProvider {
        static final AtomicInteger VERSION = new AtomicInteger();

        @Override
        public Object syncData() {
            return List.of(Map.of("name", "Maths", "version", VERSION.get()));
        }
    }

    static final class Settings implements SyncProvider {
        @Override
        public Object syncData() {
            return Map.of("theme", "dark");
        }
    }

    static final class Broken implements SyncProvider {
        @Override
        public Object syncData() throws Exception {
            throw new java.io.IOException("disk gone");
        }
    }

    static final class SyncPlugin extends AgentPlugin {
        @Override
        protected void configure() {
            sync("courses", Courses.class);
            sync("settings", Settings.class);
            sync("broken", Broken.class);
        }
    }

    @BeforeEach
    void start() {
        centre = new StubCentre();
        lms = new FakeServer();
        Courses.VERSION.set(1);
    }

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.close();
        }
        lms.close();
        centre.close();
    }

    private AgentRuntime startBoth(String token) throws Exception {
        AgentConfig config = AgentConfig.builder(lms.url()).dataDir(dataDir).name("lab-pc-7").clientUuid("pc-7")
                .managementUrl(centre.url()).connectionMode(ConnectionMode.BOTH).managementToken(token)
                .syncInterval(Duration.ofHours(1)).build();
        agent = AgentRuntime.builder(config).reconnectPolicy(AgentRuntimeTest.FAST)
                .plugin("courses-test", new SyncPlugin()).build();
        agent.start();
        return agent;
    }

    @Test
    void bothModeKeepsTheLmsLinkRegistersAndSyncsTheProvidersData() throws Exception {
        startBoth("enrol-1");
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
        assertEquals("pc-7", lms.await("register").json().get("client_uuid"), "the LMS link stays");

        StubCentre.Request register = centre.next("/api/clients/register");
        assertEquals("Bearer enrol-1", register.authorization());
        assertEquals("pc-7", register.body().get("uuid"));
        assertEquals("lab-pc-7", register.body().get("name"));

        StubCentre.Request sync = centre.next("/api/sync");
        assertEquals("Bearer ck-1", sync.authorization(), "the key the centre issued");
        assertEquals("pc-7", sync.body().get("client_uuid"));
        assertEquals(List.of(Map.of("name", "Maths", "version", 1)), sync.body().get("courses"));
        assertEquals(Map.of("theme", "dark"), sync.body().get("settings"));
        assertFalse(sync.body().containsKey("schedules"), "a section nobody provides is left out (an empty one would wipe the centre's)");
        assertFalse(sync.body().containsKey("broken"), "a failing provider is left out, the others go");
        assertTrue(sync.body().get("timestamp") instanceof String);
        assertTrue(sync.body().get("sync_id") instanceof String);

        Path kept = dataDir.resolve(ManagementSync.FILE_NAME);
        assertTrue(Files.readString(kept).contains("ck-1"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)));
    }

    @Test
    void aFailedSyncIsRetriedNextIntervalWithTheSameIdAndNewDataGetsANewId() throws Exception {
        centre.onSync(r -> StubCentre.Reply.fail(503, "UNAVAILABLE", "Down for maintenance."));
        startBoth("enrol-1");
        String firstId = (String) centre.next("/api/sync").body().get("sync_id");
        Poll.until(() -> agent.managementSync().lastOutcome() != null, "the first outcome");
        assertFalse(agent.managementSync().lastOutcome().success());
        assertEquals(503, agent.managementSync().lastOutcome().httpStatus());

        centre.onSync(r -> StubCentre.Reply.ok("{}"));
        ManagementSync.Outcome retried = agent.managementSync().syncNow();
        assertTrue(retried.success());
        assertEquals(firstId, centre.next("/api/sync").body().get("sync_id"), "same data, same id: stored once");

        Courses.VERSION.set(2);
        agent.managementSync().syncNow();
        StubCentre.Request changed = centre.next("/api/sync");
        assertNotEquals(firstId, changed.body().get("sync_id"));
        assertEquals(List.of(Map.of("name", "Maths", "version", 2)), changed.body().get("courses"));
        assertEquals(1, centre.all().stream().filter(r -> r.path().equals("/api/clients/register")).count());
    }

    @Test
    void aCentreThatIsDownIsTriedAgainLater() throws Exception {
        centre.close();
        startBoth("enrol-1");
        Poll.until(() -> agent.managementSync().lastOutcome() != null, "the first outcome");
        ManagementSync.Outcome outcome = agent.managementSync().lastOutcome();
        assertFalse(outcome.success());
        assertEquals(0, outcome.httpStatus());
        assertTrue(outcome.error().startsWith("cannot reach"), outcome.error());
        assertTrue(agent.isRegistered() || agent.firstRegistration().get(10, TimeUnit.SECONDS) == null,
                "the LMS link does not depend on the centre");
    }

    @Test
    void aRevokedKeyRegistersAgainWithTheToken() throws Exception {
        startBoth("enrol-1");
        centre.next("/api/sync");
        Poll.until(() -> agent.managementSync().succeeded() == 1, "the first sync");
        centre.onRegister(r -> StubCentre.Reply.ok("{\"client_key\":\"ck-2\"}"));
        centre.onSync(r -> "Bearer ck-2".equals(r.authorization()) ? StubCentre.Reply.ok("{}")
                : StubCentre.Reply.fail(401, "UNAUTHORIZED", "The key is not valid."));
        assertTrue(agent.managementSync().syncNow().success());
        assertEquals("Bearer ck-1", centre.next("/api/sync").authorization());
        assertEquals("Bearer enrol-1", centre.next("/api/clients/register").authorization());
        assertEquals("Bearer ck-2", centre.next("/api/sync").authorization());
        assertTrue(Files.readString(dataDir.resolve(ManagementSync.FILE_NAME)).contains("ck-2"));
    }

    @Test
    void theKeptKeySurvivesARestartAndARefusedRegistrationIsReported() throws Exception {
        startBoth("enrol-1");
        Poll.until(() -> agent.managementSync().succeeded() == 1, "the first sync");
        agent.close();
        centre.onRegister(r -> StubCentre.Reply.fail(401, "UNAUTHORIZED", "The token is not valid."));
        startBoth("enrol-1");
        Poll.until(() -> agent.managementSync().succeeded() == 1, "the sync after the restart");
        assertEquals(1, centre.all().stream().filter(r -> r.path().equals("/api/clients/register")).count(),
                "registered once");

        Files.delete(dataDir.resolve(ManagementSync.FILE_NAME));
        ManagementSync.Outcome refused = new ManagementSync(agent.config(), () -> "pc-7", new SyncSections(),
                java.net.http.HttpClient.newHttpClient(), null).syncNow();
        assertFalse(refused.success());
        assertEquals(401, refused.httpStatus());
        assertTrue(refused.error().contains("The token is not valid."), refused.error());
    }

    /** A client whose key the centre holds but this agent lost stops trying (said once), it does not loop on 409. */
    @Test
    void aLostClientKeyIsAPermanentFailureNamingWhatToDo() throws Exception {
        startBoth("enrol-1");
        Poll.until(() -> agent.managementSync().succeeded() == 1, "the first sync");
        agent.close();
        Files.delete(dataDir.resolve(ManagementSync.FILE_NAME));
        centre.onRegister(r -> StubCentre.Reply.fail(409, "CLIENT_ALREADY_REGISTERED", "Client 'pc-7' already holds a client key."));
        ManagementSync sync = new ManagementSync(agent.config(), () -> "pc-7", new SyncSections(),
                java.net.http.HttpClient.newHttpClient(), null);
        int before = centre.all().size();
        ManagementSync.Outcome first = sync.syncNow();
        assertFalse(first.success());
        assertEquals(409, first.httpStatus());
        assertTrue(first.error().contains("admin"), first.error());
        ManagementSync.Outcome second = sync.syncNow();
        assertFalse(second.success());
        assertEquals(first.error(), second.error());
        assertEquals(before + 1, centre.all().size(), "one registration tried, then no more requests");
    }

    /** A centre with a self-signed certificate the agent's trust store holds is synced over HTTPS (as the WebSocket would). */
    @Test
    void aSelfSignedCentreTheAgentTrustsIsReachedOverHttps(@TempDir Path keys) throws Exception {
        Path p12 = keys.resolve("centre.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "centre", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-keystore", p12.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertEquals(0, keytool.waitFor(), output);
        java.security.KeyStore keyStore = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(p12)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        java.security.KeyStore trusted = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("centre", keyStore.getCertificate("centre"));
        centre.close();
        centre = new StubCentre(keyStore);
        AgentConfig config = AgentConfig.builder(lms.url()).dataDir(dataDir).name("lab-pc-7").clientUuid("pc-7")
                .managementUrl(centre.url()).connectionMode(ConnectionMode.BOTH).managementToken("enrol-1")
                .syncInterval(Duration.ofHours(1)).build();
        agent = AgentRuntime.builder(config).reconnectPolicy(AgentRuntimeTest.FAST).trustedCertificates(trusted)
                .plugin("courses-test", new SyncPlugin()).build();
        agent.start();
        Poll.until(() -> agent.managementSync().lastOutcome() != null, "the first outcome");
        ManagementSync.Outcome outcome = agent.managementSync().lastOutcome();
        assertTrue(outcome.success(), String.valueOf(outcome));
        assertEquals("Bearer ck-1", centre.next("/api/sync").authorization());
        String pin = ServerFingerprint.of((java.security.cert.X509Certificate) keyStore.getCertificate("centre"));
        Path identity = dataDir.resolve("agent.json");
        assertFalse(Files.exists(identity) && Files.readString(identity).contains(pin),
                "the centre's certificate is not pinned (the pin is the LMS's)");
    }

    @Test
    void aHugeAnswerFromTheCentreIsRefusedNotBuffered() throws Exception {
        centre.onSync(r -> new StubCentre.Reply(200, "{\"pad\":\"" + "x".repeat(ManagementSync.MAX_ANSWER_BYTES) + "\"}"));
        startBoth("enrol-1");
        Poll.until(() -> agent.managementSync().lastOutcome() != null, "the first outcome");
        ManagementSync.Outcome outcome = agent.managementSync().lastOutcome();
        assertFalse(outcome.success());
        assertTrue(outcome.error().contains("larger than"), outcome.error());
    }

    @Test
    void managementOnlyOpensTheWebSocketToTheCentreAndDoesNotSync() throws Exception {
        AgentConfig config = AgentConfig.builder(URI.create("http://127.0.0.1:9")).dataDir(dataDir).clientUuid("pc-8")
                .managementUrl(lms.url()).connectionMode(ConnectionMode.MANAGEMENT_ONLY).build();
        assertEquals(URI.create("ws://127.0.0.1:" + lms.url().getPort() + "/ws/pc-8"), config.webSocketUri("pc-8"));
        agent = AgentRuntime.builder(config).reconnectPolicy(AgentRuntimeTest.FAST).build();
        agent.start();
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
        assertEquals("pc-8", lms.await("register").json().get("client_uuid"));
        assertNull(agent.managementSync());
    }

    @Test
    void theDualModesNeedAManagementUrl() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () ->
                AgentConfig.builder(lms.url()).connectionMode(ConnectionMode.BOTH).build());
        assertEquals("--connection-mode both needs --management-url (or MANAGEMENT_SERVER_URL).", error.getMessage());
    }

    @Test
    void theSpecVariablesFillTheDualModeFlags() {
        Map<String, String> env = Map.of("MANAGEMENT_REGISTRATION_TOKEN", "from-env",
                "MANAGEMENT_SERVER_URL", "http://centre.example:9000");
        picocli.CommandLine commandLine = new picocli.CommandLine(new AgentCommandLine());
        commandLine.setDefaultValueProvider(new AgentDefaults(env::get, new java.util.Properties()));
        commandLine.parseArgs("--connection-mode", "management_only");
        AgentConfig config = ((AgentCommandLine) commandLine.getCommand()).toConfig();
        assertEquals("from-env", config.registrationToken().orElseThrow());
        assertEquals(URI.create("ws://centre.example:9000/ws/x"), config.webSocketUri("x"));
    }
}
