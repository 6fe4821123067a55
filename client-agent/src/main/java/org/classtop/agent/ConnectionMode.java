package org.classtop.agent;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Which servers the agent talks to (note 001's dual mode). Only {@link #LMS_ONLY} is implemented so far. */
public enum ConnectionMode {
    LMS_ONLY, MANAGEMENT_ONLY, BOTH;

    /** The flag's spelling, e.g. {@code lms_only}. */
    public String flagValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConnectionMode parse(String text) {
        for (ConnectionMode mode : values()) {
            if (mode.flagValue().equalsIgnoreCase(text.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("Connection mode '" + text + "' is unknown; use one of "
                + Arrays.stream(values()).map(ConnectionMode::flagValue).collect(Collectors.joining(", ")) + ".");
    }
}
