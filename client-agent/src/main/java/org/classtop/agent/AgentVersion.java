package org.classtop.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The agent's version, written into the jar at build time. */
public final class AgentVersion {
    private static final String VERSION = load();

    private AgentVersion() {
    }

    /** E.g. {@code 0.1.0-SNAPSHOT}. */
    public static String current() {
        return VERSION;
    }

    /** The version without a qualifier (e.g. {@code 0.1.0}), as PF4J compares it with {@code Plugin-Requires}. */
    public static String release() {
        int dash = VERSION.indexOf('-');
        return dash < 0 ? VERSION : VERSION.substring(0, dash);
    }

    private static String load() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("agent-version.properties")) {
            if (in == null) {
                return "0.0.0";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "0.0.0").trim();
            return version.isEmpty() || version.startsWith("${") ? "0.0.0" : version;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
