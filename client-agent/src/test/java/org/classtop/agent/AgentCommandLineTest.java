package org.classtop.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AgentCommandLineTest {
    private static AgentConfig parse(String... args) {
        CommandLine commandLine = new CommandLine(new AgentCommandLine());
        commandLine.parseArgs(args);
        return ((AgentCommandLine) commandLine.getCommand()).toConfig();
    }

    @Test
    void appliesTheDefaultsOfTheRunContract() {
        AgentConfig config = parse("--server", "http://127.0.0.1:8000");
        assertEquals(Duration.ofSeconds(30), config.heartbeat());
        assertEquals(Path.of("./agent-data"), config.dataDir());
        assertEquals(ConnectionMode.LMS_ONLY, config.connectionMode());
        assertEquals(Duration.ofSeconds(300), config.syncInterval());
        assertNull(config.clientUuid());
        assertNull(config.enrollmentToken());
        assertFalse(config.name().isBlank(), "the host name by default");
        assertEquals(AgentCommandLine.defaultPluginsDir(), config.pluginsDir());
    }

    @Test
    void readsEveryFlag() {
        AgentConfig config = parse("--server", "https://lms.example:8443/", "--uuid", "pc-42", "--name", "Lab 1",
                "--data", "d", "--token", "t0k", "--plugins", "p", "--heartbeat", "7", "--management-url",
                "http://mgmt.example:9000", "--connection-mode", "both", "--sync-interval", "60", "--management-token", "mt");
        assertEquals("pc-42", config.clientUuid());
        assertEquals("Lab 1", config.name());
        assertEquals(Path.of("d"), config.dataDir());
        assertEquals("t0k", config.enrollmentToken());
        assertEquals(Path.of("p"), config.pluginsDir());
        assertEquals(Duration.ofSeconds(7), config.heartbeat());
        assertEquals(URI.create("http://mgmt.example:9000"), config.managementUrl());
        assertEquals(ConnectionMode.BOTH, config.connectionMode());
        assertEquals(Duration.ofSeconds(60), config.syncInterval());
        assertEquals("mt", config.registrationToken().orElseThrow());
        assertEquals(URI.create("wss://lms.example:8443/ws/pc-42"), config.webSocketUri("pc-42"));
        assertEquals("https://lms.example:8443", config.serverDisplay());
    }

    @Test
    void derivesTheWebSocketEndpointFromTheServerUrl() {
        assertEquals(URI.create("ws://10.0.0.5:8000/ws/abc"),
                parse("--server", "http://10.0.0.5:8000").webSocketUri("abc"));
        assertEquals(URI.create("wss://school.example/classtop/ws/abc"),
                parse("--server", "https://school.example/classtop/").webSocketUri("abc"));
        assertEquals(URI.create("ws://host:1/ws/abc"), parse("--server", "ws://host:1/ws").webSocketUri("abc"));
    }

    @Test
    void refusesBadFlagsWithAReason() {
        assertThrows(IllegalArgumentException.class, () -> parse());
        assertThrows(IllegalArgumentException.class, () -> parse("--server", "ftp://host"));
        assertThrows(IllegalArgumentException.class, () -> parse("--server", "http://"));
        assertThrows(IllegalArgumentException.class, () -> parse("--server", "http://h:1", "--heartbeat", "0"));
        assertThrows(IllegalArgumentException.class, () -> parse("--server", "http://h:1", "--heartbeat", "3601"));
        assertThrows(IllegalArgumentException.class, () -> parse("--server", "http://h:1", "--uuid", "a/b"));
        assertThrows(IllegalArgumentException.class, () -> parse("--server", "http://h:1", "--uuid", "u".repeat(65)));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--server", "http://h:1", "--heartbeat", "x"));
        assertThrows(CommandLine.ParameterException.class,
                () -> parse("--server", "http://h:1", "--connection-mode", "sideways"));
        assertThrows(CommandLine.ParameterException.class, () -> parse("--server", "http://h:1", "--colour"));
    }

    @Test
    void aFlagBeatsItsVariableWhichBeatsTheConfigFile() {
        java.util.Properties file = new java.util.Properties();
        file.setProperty("server", "http://from-file:1");
        file.setProperty("heartbeat", "11");
        file.setProperty("management-url", "http://mgmt-from-file:2");
        file.setProperty("name", "file-name");
        Map<String, String> environment = Map.of("CLASSTOP_AGENT_HEARTBEAT", "12", "CLASSTOP_AGENT_NAME", "env-name");

        CommandLine commandLine = new CommandLine(new AgentCommandLine());
        commandLine.setDefaultValueProvider(new AgentDefaults(environment::get, file));
        commandLine.parseArgs("--name", "flag-name");
        AgentConfig config = ((AgentCommandLine) commandLine.getCommand()).toConfig();

        assertEquals("flag-name", config.name());
        assertEquals(Duration.ofSeconds(12), config.heartbeat());
        assertEquals(URI.create("http://from-file:1"), config.serverUrl());
        assertEquals(URI.create("http://mgmt-from-file:2"), config.managementUrl());
        assertEquals(Duration.ofSeconds(300), config.syncInterval(), "the built-in default is last");
        assertEquals("CLASSTOP_AGENT_CONNECTION_MODE", AgentDefaults.variableFor("connection-mode"));
    }

    @Test
    void readsTheServerFingerprintFromTheFlagOrTheConfigFile() {
        String hex = "0123456789abcdef".repeat(4);
        assertEquals(hex, parse("--server", "https://h:1", "--server-fingerprint", hex.toUpperCase()).serverFingerprint());
        assertNull(parse("--server", "https://h:1").serverFingerprint());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> parse("--server", "https://h:1", "--server-fingerprint", "12:34"));
        assertTrue(bad.getMessage().contains("SHA-256"), bad.getMessage());

        java.util.Properties file = new java.util.Properties();
        file.setProperty("server", "https://from-file:1");
        file.setProperty("server-fingerprint", hex);
        CommandLine commandLine = new CommandLine(new AgentCommandLine());
        commandLine.setDefaultValueProvider(new AgentDefaults(name -> null, file));
        commandLine.parseArgs();
        assertEquals(hex, ((AgentCommandLine) commandLine.getCommand()).toConfig().serverFingerprint());
        assertTrue(commandLine.getUsageMessage().contains("--server-fingerprint=SHA256"), "documented in --help");
    }

    @Test
    void printsAFailureAsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = Main.fail(new PrintStream(bytes, true, StandardCharsets.UTF_8), "first line\nsecond line", Main.USAGE);
        String printed = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertEquals("classtop-agent: first line second line" + System.lineSeparator(), printed);
        assertTrue(printed.indexOf('\n') == printed.length() - 1);
    }
}
