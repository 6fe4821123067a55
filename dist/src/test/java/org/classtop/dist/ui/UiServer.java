package org.classtop.dist.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.classtop.dist.AgentProcess;
import org.classtop.dist.LmsServer;
import org.classtop.testing.ApiClient;
import org.classtop.testing.ApiResult;
import org.classtop.testing.Poll;

/**
 * The real distribution's server for a browser test class, with a known admin user and the real agents it
 * started; {@link #close()} stops them all (by PID, newest first).
 */
public final class UiServer implements AutoCloseable {
    public static final String ADMIN = "ict-admin";
    public static final String ADMIN_PASSWORD = "correct horse battery staple";
    static final Duration CONNECT = Duration.ofSeconds(60);

    private final Path work;
    private final LmsServer server;
    private final List<AutoCloseable> started = new ArrayList<>();
    private int agents;

    private UiServer(Path work, LmsServer server) {
        this.work = work;
        this.server = server;
        started.add(server);
    }

    /** Starts the server with {@code --enrollment mode} and adds the user {@link #ADMIN}. */
    public static UiServer start(Path work, String enrollmentMode) {
        return start(work, enrollmentMode, new String[0]);
    }

    /** Starts the server with {@code --enrollment mode} and {@code moreArgs}, and adds the user {@link #ADMIN}. */
    public static UiServer start(Path work, String enrollmentMode, String... moreArgs) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--enrollment", enrollmentMode));
        args.addAll(java.util.List.of(moreArgs));
        LmsServer server = LmsServer.start(work, LmsServer.randomToken(), work.resolve("server-data"), 0,
                args.toArray(String[]::new));
        UiServer ui = new UiServer(work, server);
        try {
            ui.addUser(ADMIN, ADMIN_PASSWORD, "admin");
            return ui;
        } catch (RuntimeException | Error e) {
            ui.close();
            throw e;
        }
    }

    public void addUser(String username, String password, String role) {
        ApiResult created = api().post("/api/users", Map.of("username", username, "password", password, "role", role));
        assertEquals(201, created.status(), "POST /api/users " + username + ": " + created);
    }

    public String url() {
        return server.url();
    }

    /** The REST API with the admin bearer token. */
    public ApiClient api() {
        return server.api();
    }

    public LmsServer lms() {
        return server;
    }

    /** Starts a real agent named {@code name}; does not wait for it to connect. */
    public AgentProcess startAgent(String name) {
        return startAgent(name, null);
    }

    /** Starts a real agent with an enrolment token (or none); does not wait for it to connect. */
    public AgentProcess startAgent(String name, String enrolmentToken) {
        Path data = work.resolve("agent-" + (++agents));
        AgentProcess agent = AgentProcess.start(work, server.url(), name, data, enrolmentToken);
        started.add(agent);
        return agent;
    }

    /** Starts a real agent and waits until the server lists it online; answers its uuid. */
    public String startOnlineAgent(String name) {
        AgentProcess agent = startAgent(name);
        agent.awaitConnected(CONNECT);
        String uuid = agent.uuid();
        Poll.until(name + " online in /api/clients/online", Duration.ofSeconds(30), () -> server.isOnline(uuid));
        return uuid;
    }

    /** The uuid an agent generated (it writes agent.json as it starts, before any connection). */
    public static String uuidOf(AgentProcess agent) {
        Poll.until("the agent's agent.json", Duration.ofSeconds(30), () -> {
            try {
                return !agent.uuid().isEmpty();
            } catch (RuntimeException | AssertionError notYet) {
                return false;
            }
        });
        return agent.uuid();
    }

    public Path work() {
        return work;
    }

    @Override
    public void close() {
        List<AutoCloseable> reversed = new ArrayList<>(started);
        Collections.reverse(reversed);
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("Could not stop " + resource + ": " + e);
            }
        }
        started.clear();
    }
}
