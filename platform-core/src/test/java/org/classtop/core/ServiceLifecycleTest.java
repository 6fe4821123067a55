package org.classtop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceLifecycleTest {
    private final List<String> calls = new ArrayList<>();
    private final ServiceLifecycle lifecycle = new ServiceLifecycle();

    @Test
    void stopsInReverseOrderAndAFailingStopDoesNotStopTheRest() {
        String db = lifecycle.open("database", () -> "db", value -> calls.add("close " + value));
        lifecycle.start("plugins", () -> calls.add("start plugins"), () -> {
            calls.add("stop plugins");
            throw new IllegalStateException("plugin stop failed");
        });
        lifecycle.start("listener", () -> calls.add("start listener"), () -> calls.add("stop listener"));
        lifecycle.onStop("connections", () -> calls.add("close connections"));

        lifecycle.stopAll();
        lifecycle.stopAll(); // idempotent

        assertEquals("db", db);
        assertEquals(List.of("start plugins", "start listener", "close connections", "stop listener", "stop plugins",
                "close db"), calls);
    }

    @Test
    void aFailedStartStopsWhatStartedAndRethrows() {
        lifecycle.open("database", () -> "db", value -> calls.add("close " + value));
        lifecycle.start("plugins", () -> calls.add("start plugins"), () -> calls.add("stop plugins"));
        IllegalStateException bind = new IllegalStateException("Address already in use");

        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> lifecycle.open("listener", () -> {
                    throw bind;
                }, value -> calls.add("never opened, never closed")));

        assertSame(bind, thrown);
        assertEquals(List.of("start plugins", "stop plugins", "close db"), calls);
    }

    @Test
    void aHalfStartedServiceIsStoppedTooAndACheckedFailureNamesTheService() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> lifecycle.start("plugins", () -> {
                    calls.add("plugin a started");
                    throw new java.io.IOException("plugin b's jar is unreadable");
                }, () -> calls.add("stop plugins")));

        assertEquals("Starting plugins failed: plugin b's jar is unreadable", thrown.getMessage());
        assertEquals(List.of("plugin a started", "stop plugins"), calls);
    }
}
