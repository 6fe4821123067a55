package org.classtop.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where a flag's value comes from when it is not on the command line: the environment variable
 * {@code CLASSTOP_AGENT_<FLAG>}, then {@code conf/agent.properties} of the distribution (key = flag name,
 * e.g. {@code management-url}), then the built-in default. So a flag beats its variable, which beats the file.
 */
final class AgentDefaults implements IDefaultValueProvider {
    static final String CONFIG_FILE = "agent.properties";

    /** The SPEC's own variables for the dual-mode flags, read after {@code CLASSTOP_AGENT_<FLAG>}. */
    static final java.util.Map<String, String> SHARED_VARIABLES = java.util.Map.of(
            "management-url", "MANAGEMENT_SERVER_URL",
            "management-token", "MANAGEMENT_REGISTRATION_TOKEN");

    private final UnaryOperator<String> environment;
    private final Properties file;

    AgentDefaults(UnaryOperator<String> environment, Properties file) {
        this.environment = environment;
        this.file = file;
    }

    /** {@code <classtop.home>/conf/agent.properties}, when the launcher set {@code classtop.home}. */
    static Optional<Path> configFile() {
        String home = System.getProperty("classtop.home");
        return home == null || home.isBlank() ? Optional.empty() : Optional.of(Path.of(home, "conf", CONFIG_FILE));
    }

    /** The properties of {@code path}; none when it does not exist. */
    static Properties read(Optional<Path> path) {
        Properties properties = new Properties();
        if (path.isEmpty() || !Files.isRegularFile(path.get())) {
            return properties;
        }
        try (Reader reader = Files.newBufferedReader(path.get(), StandardCharsets.UTF_8)) {
            properties.load(reader);
            return properties;
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read " + path.get() + ": " + e.getMessage(), e);
        }
    }

    static String variableFor(String flag) {
        return "CLASSTOP_AGENT_" + flag.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec option) || !option.longestName().startsWith("--")) {
            return null;
        }
        String flag = option.longestName().substring(2);
        String variable = environment.apply(variableFor(flag));
        if (variable != null && !variable.isBlank()) {
            return variable.trim();
        }
        String shared = SHARED_VARIABLES.get(flag);
        String sharedValue = shared == null ? null : environment.apply(shared);
        if (sharedValue != null && !sharedValue.isBlank()) {
            return sharedValue.trim();
        }
        String fromFile = file.getProperty(flag);
        return fromFile == null || fromFile.isBlank() ? null : fromFile.trim();
    }
}
