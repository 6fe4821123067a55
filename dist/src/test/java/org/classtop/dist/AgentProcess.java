package org.classtop.dist;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** {@code bin/classtop-agent} started from the distribution (with the distribution's bundled plugins). */
public final class AgentProcess implements AutoCloseable {
    private final LaunchedProcess process;
    private final String serverUrl;
    private final Path dataDir;

    private AgentProcess(LaunchedProcess process, String serverUrl, Path dataDir) {
        this.process = process;
        this.serverUrl = serverUrl;
        this.dataDir = dataDir;
    }

    /** Starts {@code classtop-agent --server URL --name NAME --data DIR [--token T]}; does not wait. */
    public static AgentProcess start(Path workDir, String serverUrl, String name, Path dataDir, String token,
                                     String... moreArgs) {
        List<String> args = new ArrayList<>(List.of("--server", serverUrl, "--name", name, "--data", dataDir.toString()));
        if (token != null) {
            args.addAll(List.of("--token", token));
        }
        args.addAll(List.of(moreArgs));
        return new AgentProcess(LaunchedProcess.start("classtop-agent", args, Map.of(), workDir), serverUrl, dataDir);
    }

    /** Waits for {@code classtop-agent connected to URL} on stdout. */
    public void awaitConnected(Duration timeout) {
        process.awaitStdoutLine(Pattern.compile(Pattern.quote("classtop-agent connected to " + serverUrl)), timeout);
    }

    /** The uuid the agent generated and keeps in DATA/agent.json. */
    public String uuid() {
        try {
            String uuid = new ObjectMapper().readTree(dataDir.resolve("agent.json").toFile()).path("client_uuid").asText("");
            if (uuid.isEmpty()) {
                throw new AssertionError("no client_uuid in " + dataDir.resolve("agent.json") + process.describe());
            }
            return uuid;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public LaunchedProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
