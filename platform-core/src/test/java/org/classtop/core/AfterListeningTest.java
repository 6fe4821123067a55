package org.classtop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate of the work that waits for the listener. */
class AfterListeningTest {

    @Test
    void tasksWaitForTheListenerThenRunInOrderAndLaterOnesRunAtOnce() {
        AfterListening gate = new AfterListening();
        List<String> ran = new ArrayList<>();
        gate.run(() -> ran.add("first"));
        gate.run(() -> ran.add("second"));
        assertEquals(List.of(), ran);

        gate.open();
        assertEquals(List.of("first", "second"), ran);
        gate.run(() -> ran.add("later"));
        assertEquals(List.of("first", "second", "later"), ran);
    }

    @Test
    void aFailingTaskDoesNotStopTheOthers() {
        AfterListening gate = new AfterListening();
        List<String> ran = new ArrayList<>();
        gate.run(() -> {
            throw new IllegalStateException("broken on purpose");
        });
        gate.run(() -> ran.add("after"));
        gate.open();
        assertEquals(List.of("after"), ran);
    }
}
