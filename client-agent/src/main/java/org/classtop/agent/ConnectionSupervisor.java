package org.classtop.agent;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the agent connected: opens an {@link AgentConnection}, waits until it ends, waits as long as the
 * {@link ReconnectPolicy} says, and opens the next one, until {@link #stop}. Runs on its own
 * (non-daemon) thread, which keeps the JVM alive while the agent runs.
 */
final class ConnectionSupervisor {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionSupervisor.class);

    private final URI uri;
    private final AgentConfig config;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final ServerFrameHandler protocol;
    private final ReconnectPolicy policy;
    private final ServerTrust trust;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile AgentConnection current;

    ConnectionSupervisor(URI uri, AgentConfig config, HttpClient http, ScheduledExecutorService timer,
                         ServerFrameHandler protocol, ReconnectPolicy policy, ServerTrust trust) {
        this.uri = uri;
        this.config = config;
        this.http = http;
        this.timer = timer;
        this.protocol = protocol;
        this.policy = policy;
        this.trust = trust;
        this.thread = new Thread(this::run, "classtop-agent-connection");
    }

    void start() {
        thread.start();
    }

    /** The open connection, if any. */
    Optional<AgentConnection> current() {
        AgentConnection connection = current;
        return connection != null && connection.isOpen() ? Optional.of(connection) : Optional.empty();
    }

    /** The connection the server accepted with {@code registered}, if any. */
    Optional<AgentConnection> registered() {
        return current().filter(AgentConnection::isRegistered);
    }

    /** Closes the connection normally (after the frames already queued) and ends the loop. */
    void stop(Duration grace) {
        running = false;
        stopSignal.countDown();
        AgentConnection connection = current;
        if (connection != null) {
            try {
                connection.close(WebSocket.NORMAL_CLOSURE, "agent stopping", grace)
                        .get(grace.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                connection.abort("agent stopping");
            }
        }
        try {
            thread.join(grace.toMillis() + 1_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (running) {
            AgentConnection connection = new AgentConnection(uri, config.heartbeat(), timer, protocol);
            current = connection;
            if (!running) {
                break;
            }
            AgentConnection.Closure closure = null;
            try {
                closure = connectAndWait(connection);
            } catch (InterruptedException e) {
                connection.abort("agent stopping");
                if (!running) {
                    break;
                }
            } finally {
                current = null;
            }
            policy.connectionEnded(connection.uptime());
            if (closure != null && (closure.code() == AgentConnection.Closure.SERVICE_RESTART
                    || closure.code() == AgentConnection.Closure.GOING_AWAY)) {
                policy.serverRestarting();
            }
            if (!running) {
                break;
            }
            Duration delay = policy.nextDelay();
            LOG.info("Connecting again to {} in {} ms", uri, delay.toMillis());
            try {
                if (stopSignal.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            }
        }
    }

    /** Opens the connection and waits until it ends; how it ended, or null when it never opened. */
    private AgentConnection.Closure connectAndWait(AgentConnection connection) throws InterruptedException {
        Optional<String> plainRefusal = trust.plainConnectionRefusal(config);
        if (plainRefusal.isPresent()) {
            LOG.warn("Not connecting to {}: {}", uri, plainRefusal.get());
            return null;
        }
        trust.takeRefusal();
        connection.open(http, config.connectTimeout()).whenComplete((socket, error) -> {
            if (error != null) {
                connection.abort(AgentConnection.describeOpenFailure(error));
            }
        });
        AgentConnection.Closure closure;
        try {
            closure = connection.closed().get();
        } catch (ExecutionException e) {
            closure = new AgentConnection.Closure(AgentConnection.Closure.ABNORMAL, e.getCause().toString());
        }
        Optional<String> refusal = trust.takeRefusal();
        if (!connection.wasOpened()) {
            if (running) {
                LOG.warn("Cannot connect to {}: {}", uri, refusal.orElse(closure.reason()));
            }
            return null;
        }
        report(closure);
        return closure;
    }

    private void report(AgentConnection.Closure closure) {
        String reason = closure.reason() == null || closure.reason().isBlank()
                ? (closure.code() == AgentConnection.Closure.ABNORMAL ? "the connection was cut" : "no reason given")
                : closure.reason();
        if (!running) {
            LOG.info("Disconnected from {}", uri);
        } else if (closure.code() == AgentConnection.Closure.POLICY_VIOLATION) {
            LOG.warn("The server refused this agent: {}", reason);
        } else if (closure.code() == AgentConnection.Closure.ABNORMAL) {
            LOG.warn("The connection to {} was lost: {}", uri, reason);
        } else {
            LOG.info("The server closed the connection (code {}): {}", closure.code(), reason);
        }
    }
}
