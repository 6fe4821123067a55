package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent runtime against a scripted server on loopback. */
class AgentRuntimeTest {
    static final ReconnectPolicy FAST = new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(30));

    @TempDir
    Path dataDir;

    FakeServer server;
    AgentRuntime agent;

    @BeforeEach
    void startServer() {
        server = new FakeServer();
    }

    @AfterEach
    void stopEverything() {
        if (agent != null) {
            agent.close();
        }
        server.close();
    }

    private AgentRuntime start(Consumer<AgentConfig.Builder> config, Consumer<AgentRuntime.Builder> runtime)
            throws Exception {
        AgentConfig.Builder configBuilder = AgentConfig.builder(server.url()).dataDir(dataDir).name("lab-pc-7")
                .heartbeat(Duration.ofSeconds(5));
        config.accept(configBuilder);
        AgentRuntime.Builder builder = AgentRuntime.builder(configBuilder.build())
                .reconnectPolicy(FAST)
                .stateCoalesceWindow(Duration.ofMillis(20))
                .plugin("echo", new TestPlugins.EchoPlugin());
        runtime.accept(builder);
        agent = builder.build();
        agent.start();
        return agent;
    }

    private AgentRuntime start() throws Exception {
        return start(config -> { }, runtime -> { });
    }

    private static Map<String, Object> command(String requestId, String command, Map<String, Object> params) {
        Map<String, Object> frame = new LinkedHashMap<>();
        frame.put("type", "command");
        frame.put("request_id", requestId);
        frame.put("command", command);
        if (params != null) {
            frame.put("params", params);
        }
        return frame;
    }

    private FakeServer.Frame answerTo(String requestId) throws InterruptedException {
        return server.await(frame -> frame.type().equals("response") && requestId.equals(frame.json().get("request_id")),
                "the response to " + requestId);
    }

    @Test
    void registersWithTheDocumentedFrame() throws Exception {
        start();
        FakeServer.Frame register = server.await("register");
        Map<String, Object> json = register.json();

        assertEquals(agent.clientUuid(), json.get("client_uuid"));
        assertEquals(agent.clientUuid(), register.connection().uuid, "the uuid is the last path segment");
        assertEquals("lab-pc-7", json.get("name"));
        assertEquals("client", json.get("client_type"));
        assertEquals(1, json.get("protocol"));
        assertEquals(AgentVersion.current(), json.get("agent_version"));
        assertEquals(List.of("boom", "bump", "echo", "fail", "nothing", "refuse", "where"), json.get("capabilities"));
        assertEquals(5, json.get("heartbeat_interval"));
        assertFalse(json.containsKey("token"), "no token without --token or a credential");

        agent.firstRegistration().get(10, TimeUnit.SECONDS);
        assertTrue(Files.exists(dataDir.resolve("agent.json")));
    }

    @Test
    void presentsTheEnrolmentTokenThenTheIssuedCredentialAfterAReconnect() throws Exception {
        server.onRegister(register -> {
            Map<String, Object> reply = FakeServer.approved(register);
            if (register.connection().number == 1) {
                reply.put("credential", "cred-issued-1");
            }
            return reply;
        });
        // A short heartbeat: the JDK's WebSocket does not always report a vanished peer, the heartbeat finds out.
        start(config -> config.enrollmentToken("enrol-abc").heartbeat(Duration.ofMillis(300)), runtime -> { });

        FakeServer.Frame first = server.await("register");
        assertEquals("enrol-abc", first.json().get("token"));
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
        awaitCredential("cred-issued-1");
        assertTrue(Files.readString(dataDir.resolve("agent.json")).contains("cred-issued-1"));

        first.connection().drop();

        FakeServer.Frame second = server.await("register");
        assertEquals(2, second.connection().number);
        assertEquals("cred-issued-1", second.json().get("token"));
        assertEquals(first.json().get("client_uuid"), second.json().get("client_uuid"));

        String uuid = agent.clientUuid();
        agent.close();
        agent = null;
        start(config -> config.enrollmentToken("enrol-abc"), runtime -> { });
        FakeServer.Frame afterRestart = server.await("register");
        assertEquals(uuid, afterRestart.json().get("client_uuid"), "the uuid is kept in the data folder");
        assertEquals("cred-issued-1", afterRestart.json().get("token"));
    }

    @Test
    void reconnectsAfterTheServerRefusedIt() throws Exception {
        server.onRegister(register -> {
            if (register.connection().number == 1) {
                register.connection().close(1008, "An enrolment token is required.");
                return null;
            }
            return FakeServer.approved(register);
        });
        start();
        server.awaitConnection(1);
        FakeServer.Connection second = server.awaitConnection(2);
        server.await(frame -> frame.type().equals("register") && frame.connection() == second, "a second register");
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
    }

    @Test
    void answersAnUnknownCommandWithASentenceNamingIt() throws Exception {
        start();
        FakeServer.Frame register = server.await("register");
        register.connection().send(command("r-1", "foo", Map.of()));

        FakeServer.Frame response = answerTo("r-1");
        assertEquals(false, response.json().get("success"));
        assertEquals(Map.of("error", "Unknown command 'foo': this agent does not provide it."), response.data());
    }

    @Test
    void dropsACommandThatArrivesAfterItsDeadlineByTheServersClock() throws Exception {
        // The server's clock is 1,000 s ahead of ours: deadlines are read in its time, not ours.
        double serverAhead = 1000;
        server.onRegister(register -> {
            Map<String, Object> reply = FakeServer.approved(register);
            reply.put("server_time", System.currentTimeMillis() / 1000.0 + serverAhead);
            return reply;
        });
        start();
        FakeServer.Connection connection = server.await("register").connection();
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
        double now = System.currentTimeMillis() / 1000.0;
        Map<String, Object> late = command("r-late", "echo", Map.of("text", "too late"));
        late.put("deadline", now + 10); // passed 990 s ago in server time: its caller already got a time-out
        connection.send(late);
        Map<String, Object> timely = command("r-timely", "echo", Map.of("text", "in time"));
        timely.put("deadline", now + serverAhead + 60);
        connection.send(timely);

        assertEquals(true, answerTo("r-timely").json().get("success"));
        assertTrue(server.frames().stream().noneMatch(f -> "r-late".equals(f.json().get("request_id"))),
                "the late command was neither run nor answered");
    }

    @Test
    void runsPluginCommandsOffTheListenerThread() throws Exception {
        start();
        FakeServer.Connection connection = server.await("register").connection();
        connection.send(command("r-echo", "echo", Map.of("text", "hello", "n", 3)));
        connection.send(command("r-fail", "fail", Map.of()));
        connection.send(command("r-refuse", "refuse", Map.of()));
        connection.send(command("r-boom", "boom", null));
        connection.send(command("r-nothing", "nothing", null));

        FakeServer.Frame echo = answerTo("r-echo");
        assertEquals(true, echo.json().get("success"));
        assertEquals(Map.of("text", "hello", "n", 3), echo.data().get("params"));
        assertTrue(String.valueOf(echo.data().get("thread")).startsWith("classtop-agent-command"));

        FakeServer.Frame fail = answerTo("r-fail");
        assertEquals(false, fail.json().get("success"));
        assertEquals("The echo failed on purpose.", fail.data().get("error"));
        assertEquals(Map.of("error", "The echo failed on purpose."), fail.data(), "no code when none was given");

        FakeServer.Frame refuse = answerTo("r-refuse");
        assertEquals(false, refuse.json().get("success"));
        assertEquals(Map.of("error", "The echo refused on purpose.", "code", "ECHO_REFUSED"), refuse.data());

        FakeServer.Frame boom = answerTo("r-boom");
        assertEquals(false, boom.json().get("success"));
        assertEquals("Command 'boom' failed on the agent: kaput.", boom.data().get("error"));

        FakeServer.Frame nothing = answerTo("r-nothing");
        assertEquals(true, nothing.json().get("success"));
        assertEquals(Map.of(), nothing.data());
    }

    @Test
    void answersManyConcurrentCommandsWithoutLosingOne() throws Exception {
        start();
        FakeServer.Connection connection = server.await("register").connection();
        int count = 300;
        for (int i = 0; i < count; i++) {
            connection.send(command("many-" + i, i % 2 == 0 ? "echo" : "bump", Map.of("i", i)));
        }
        for (int i = 0; i < count; i++) {
            assertEquals(true, answerTo("many-" + i).json().get("success"));
        }
        long events = server.frames().stream().filter(frame -> frame.type().equals("event")).count();
        assertEquals(count / 2, events);
    }

    @Test
    void givesEachPluginItsIdDataFolderAndConfiguration() throws Exception {
        start(config -> { }, runtime -> runtime.environment(name -> name.equals("GREETING") ? "moin" : null));
        FakeServer.Connection connection = server.await("register").connection();
        connection.send(command("r-where", "where", Map.of()));

        Map<String, Object> data = answerTo("r-where").data();
        assertEquals("echo", data.get("plugin"));
        assertEquals(dataDir.resolve("plugins").resolve("echo").toString(), data.get("data_dir"));
        assertTrue(Files.isDirectory(dataDir.resolve("plugins").resolve("echo")));
        assertEquals("moin", data.get("greeting"));
    }

    @Test
    void sendsHeartbeats() throws Exception {
        start(config -> config.heartbeat(Duration.ofMillis(200)), runtime -> { });
        FakeServer.Frame heartbeat = server.await("heartbeat");

        Object timestamp = heartbeat.json().get("timestamp");
        assertTrue(timestamp instanceof Double, "a unix time in seconds with a fraction: " + timestamp);
        double now = System.currentTimeMillis() / 1000.0;
        assertTrue(Math.abs(now - (Double) timestamp) < 60, "close to now: " + timestamp);
        server.await("heartbeat");
    }

    @Test
    void dropsASilentServerAndConnectsAgain() throws Exception {
        server.onRegister(register -> null);
        server.ackHeartbeats(false);
        start(config -> config.heartbeat(Duration.ofMillis(100)), runtime -> { });

        server.awaitConnection(1);
        server.awaitConnection(2);
        assertFalse(agent.firstRegistration().isDone());
    }

    @Test
    void sendsStateAfterRegisteringAndWhenAPluginReportsAChange() throws Exception {
        start();
        FakeServer.Frame first = server.await("state_update");
        assertEquals(Map.of("echo", Map.of("counter", 0)), first.data());

        first.connection().send(command("r-bump", "bump", Map.of()));
        assertEquals(Map.of("counter", 1), answerTo("r-bump").data());
        FakeServer.Frame changed = server.await("state_update");
        assertEquals(Map.of("echo", Map.of("counter", 1)), changed.data());

        FakeServer.Frame event = server.await("event");
        assertEquals("echo.bumped", event.json().get("event"));
        assertEquals(Map.of("counter", 1), event.data());
    }

    @Test
    void sendsNoStateWhilePendingAndSendsItOnceApproved() throws Exception {
        server.onRegister(register -> {
            Map<String, Object> reply = FakeServer.approved(register);
            reply.put("status", "pending");
            return reply;
        });
        start();
        FakeServer.Frame register = server.await("register");
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
        assertTrue(server.frames().stream().noneMatch(f -> f.type().equals("state_update")),
                "a pending agent may only wait: it sends no state");

        Map<String, Object> approval = FakeServer.approved(register);
        approval.put("credential", "cred-after-approval");
        register.connection().send(approval);

        server.await("state_update");
        awaitCredential("cred-after-approval");
    }

    @Test
    void aConsumerPluginInjectsTheServiceItsProviderExports() throws Exception {
        start(config -> { }, runtime -> runtime
                .plugin("tally", "1.0.0", new ServicePlugins.Provider())
                .plugin("tally-reader", "1.0.0", List.of("tally"), new ServicePlugins.Consumer())
                .plugin("tally-orphan", "1.0.0", List.of("no-tally"), new ServicePlugins.Consumer()));
        assertEquals(List.of("echo", "tally", "tally-reader"), agent.pluginIds(), "the orphan is refused");
        FakeServer.Frame register = server.await("register");
        register.connection().send(command("r-provider", "tally_provider", Map.of()));
        assertEquals(Map.of("count", 1), answerTo("r-provider").data());
        register.connection().send(command("r-consumer", "tally_consumer", Map.of()));
        assertEquals(Map.of("count", 2), answerTo("r-consumer").data(), "one instance, shared with the consumer");
    }

    @Test
    void refusesADuplicateCommandAndSkipsBrokenPlugins() throws Exception {
        start(config -> { }, runtime -> runtime
                .plugin("broken", new TestPlugins.BrokenPlugin())
                .plugin("second-echo", new TestPlugins.SecondEchoPlugin())
                .plugin("failing-start", new TestPlugins.FailingStartPlugin())
                .plugin("lifecycle", new TestPlugins.LifecyclePlugin()));

        assertEquals(List.of("echo", "lifecycle"), agent.pluginIds());
        assertFalse(agent.commands().contains("second_only"), "the conflicting plugin is skipped whole");
        assertFalse(agent.commands().contains("never_there"), "a plugin that cannot start is removed");
        assertTrue(agent.commands().contains("lifecycle_calls"));
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
    }

    @Test
    void startsLifecyclesInOrderAndStopsThemInReverse() throws Exception {
        TestPlugins.LifecyclePlugin.CALLS.clear();
        start(config -> { }, runtime -> runtime.plugin("lifecycle", new TestPlugins.LifecyclePlugin()));
        assertEquals(List.of("start first", "start second"), TestPlugins.LifecyclePlugin.CALLS);

        agent.close();
        assertEquals(List.of("start first", "start second", "stop second", "stop first"),
                TestPlugins.LifecyclePlugin.CALLS);
    }

    @Test
    void closesTheSocketNormallyOnStop() throws Exception {
        start();
        agent.firstRegistration().get(10, TimeUnit.SECONDS);
        agent.close();

        FakeServer.Closed closed = server.awaitClose();
        assertEquals(1000, closed.code());
        assertNotEquals(null, closed.reason());
    }

    private void awaitCredential(String expected) throws InterruptedException {
        long deadline = System.nanoTime() + FakeServer.DEADLINE.toNanos();
        while (!expected.equals(agent.identity().credential())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("The credential " + expected + " was not kept; identity: " + agent.identity());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
        }
    }

    @Test
    void failureCodesMustBeUpperSnake() {
        assertEquals("CAMERA_NOT_FOUND", org.classtop.api.agent.CommandException.withCode("CAMERA_NOT_FOUND", "x").code());
        for (String bad : new String[]{"camera_not_found", "BAD-CODE", "", "_X", "A B"}) {
            IllegalArgumentException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> org.classtop.api.agent.CommandException.withCode(bad, "x"), bad);
            assertTrue(refused.getMessage().startsWith("A command failure code must be UPPER_SNAKE"), refused.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> org.classtop.api.agent.CommandException.withCode(null, "x"));
    }
}
