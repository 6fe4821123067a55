package org.classtop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.classtop.agent.AgentConfig;
import org.classtop.agent.AgentRuntime;
import org.classtop.agent.ReconnectPolicy;
import org.classtop.api.agent.AgentPlugin;

/**
 * The real ClassTop agent ({@code classtop-agent}'s runtime) in this JVM, connected to a {@link TestServer}:
 * the same connection, protocol, command dispatch, state and event handling as on a classroom PC, with
 * your plugin's agent side installed in-process (or loaded from a folder of jars). {@link Builder#start()}
 * returns once the server lists the agent as approved and online; {@link #close()} stops it cleanly.
 *
 * <pre>{@code
 * try (TestServer server = TestServer.builder().plugin("hello", new HelloServerPlugin(), new HelloAgentPlugin()).start();
 *      RealAgent pc = server.realAgent("pc-1").plugin("hello", new HelloAgentPlugin()).start()) {
 *     assertEquals("hello", server.api().get("/api/hello/pc-1").data().path("said").asText());
 * }
 * }</pre>
 */
public final class RealAgent implements AutoCloseable {
    private static final Duration ONLINE_WITHIN = Duration.ofSeconds(20);
    /** Reconnects within 200 ms, so a test that restarts or drops the connection does not wait long. */
    private static final ReconnectPolicy QUICK = new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(30));

    private final AgentRuntime runtime;
    private final Path dataDir;
    private final boolean ownsDataDir;

    private RealAgent(AgentRuntime runtime, Path dataDir, boolean ownsDataDir) {
        this.runtime = runtime;
        this.dataDir = dataDir;
        this.ownsDataDir = ownsDataDir;
    }

    /** A real agent for {@code server}; see {@link TestServer#realAgent(String)}. */
    public static Builder builder(TestServer server, String uuid) {
        return new Builder(server, uuid);
    }

    public static final class Builder {
        private record InProcess(String id, String version, List<String> dependencies, AgentPlugin side) {
        }

        private final TestServer server;
        private final String uuid;
        private final List<InProcess> plugins = new ArrayList<>();
        private String name;
        private Path dataDir;
        private Path pluginsDir;
        private boolean approve = true;

        private Builder(TestServer server, String uuid) {
            this.server = Objects.requireNonNull(server, "server");
            this.uuid = Objects.requireNonNull(uuid, "uuid");
            this.name = uuid;
        }

        /** The name the agent reports (default: its uuid). */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        /** A plugin's agent side, installed in-process under {@code id} (as the server installs its server side). */
        public Builder plugin(String id, AgentPlugin agentSide) {
            return plugin(id, "0.1.0", List.of(), agentSide);
        }

        /** An agent side that injects services exported by {@code dependencies} (added before it). */
        public Builder plugin(String id, String version, List<String> dependencies, AgentPlugin agentSide) {
            plugins.add(new InProcess(id, version, List.copyOf(dependencies), agentSide));
            return this;
        }

        /** Also loads the plugin jars of this folder through PF4J, as {@code --plugins-dir} does. */
        public Builder pluginsDir(Path folder) {
            this.pluginsDir = folder;
            return this;
        }

        /** The agent's data folder ({@code agent.json}, {@code plugins/<id>/}); default: a temporary one, removed on close. */
        public Builder dataDir(Path folder) {
            this.dataDir = folder;
            return this;
        }

        /**
         * Whether to approve the agent through the admin API when the server admits new agents as pending
         * (default true; with {@code false} {@link #start()} returns once it is registered as pending).
         */
        public Builder approve(boolean value) {
            this.approve = value;
            return this;
        }

        /** Starts the agent and waits until the server shows it online (and approved, unless told not to). */
        public RealAgent start() {
            boolean ownsDataDir = dataDir == null;
            Path data;
            try {
                data = ownsDataDir ? Files.createTempDirectory("classtop-agent-") : Files.createDirectories(dataDir);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            AgentConfig.Builder config = AgentConfig.builder(URI.create(server.baseUrl()))
                    .dataDir(data).clientUuid(uuid).name(name);
            if (pluginsDir != null) {
                config.pluginsDir(pluginsDir);
            }
            AgentRuntime.Builder runtime = AgentRuntime.builder(config.build()).reconnectPolicy(QUICK);
            if (server.baseUrl().startsWith("https:")) {
                runtime.trustedCertificates(TestCertificates.trustStore(server.server().tls().certificate()));
            }
            for (InProcess plugin : plugins) {
                runtime.plugin(plugin.id(), plugin.version(), plugin.dependencies(), plugin.side());
            }
            RealAgent agent = new RealAgent(runtime.build(), data, ownsDataDir);
            try {
                agent.runtime.start();
                agent.runtime.firstRegistration().get(ONLINE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
                if (approve && "pending".equals(enrollment())) {
                    ApiResult approved = server.api().post("/api/clients/" + uuid + "/approve", java.util.Map.of());
                    if (approved.status() != 200) {
                        throw new IllegalStateException("Approving agent '" + uuid + "' failed: " + approved);
                    }
                }
                Poll.until("agent '" + uuid + "' to be online" + (approve ? " and approved" : ""), ONLINE_WITHIN,
                        () -> online() && (!approve || "approved".equals(enrollment())));
                return agent;
            } catch (IOException e) {
                agent.close();
                throw new UncheckedIOException(e);
            } catch (ExecutionException | TimeoutException e) {
                agent.close();
                throw new IllegalStateException("Agent '" + uuid + "' was not registered by the server within "
                        + ONLINE_WITHIN.toSeconds() + " s.", e);
            } catch (InterruptedException e) {
                agent.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while agent '" + uuid + "' was starting.", e);
            } catch (RuntimeException | Error e) {
                agent.close();
                throw e;
            }
        }

        private com.fasterxml.jackson.databind.JsonNode client() {
            return server.api().get("/api/clients/" + uuid).data();
        }

        private boolean online() {
            return client().path("online").asBoolean();
        }

        private String enrollment() {
            return client().path("enrollment").asText();
        }
    }

    public String uuid() {
        return runtime.clientUuid();
    }

    /** The agent runtime itself: {@code commands()}, {@code pluginIds()}, {@code currentState()}, ... */
    public AgentRuntime runtime() {
        return runtime;
    }

    /** The agent's data folder. */
    public Path dataDir() {
        return dataDir;
    }

    /** The commands of every plugin the agent runs, sorted. */
    public List<String> commands() {
        return runtime.commands();
    }

    /** Lets running commands answer, stops the plugins, closes the connection; removes a temporary data folder. */
    @Override
    public void close() {
        runtime.close();
        if (ownsDataDir) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // best effort: a temporary folder
            }
        }
    }
}
