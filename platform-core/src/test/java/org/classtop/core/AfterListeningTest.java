package org.classtop.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate of the work that waits for the listener, and {@code settled()}, which the heap compaction waits for. */
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
        assertTrue(gate.settled().toCompletableFuture().isDone());
    }

    @Test
    void settledWaitsForTheWorkTheStartsTasksTracked() {
        AfterListening gate = new AfterListening();
        CompletableFuture<String> hash = new CompletableFuture<>();
        CompletableFuture<Void> digests = new CompletableFuture<>();
        gate.run(() -> gate.track(hash));
        gate.run(() -> gate.track(digests));
        CompletableFuture<Void> settled = gate.settled().toCompletableFuture();

        gate.open();
        assertFalse(settled.isDone(), "the tracked work is still running");
        hash.complete("stored");
        assertFalse(settled.isDone(), "one piece of work is still running");
        digests.completeExceptionally(new IllegalStateException("unreadable jar"));
        assertTrue(settled.isDone(), "failed work is done work");
        assertFalse(settled.isCompletedExceptionally());
    }

    @Test
    void workTrackedAfterTheStartIsNotWaitedFor() throws Exception {
        AfterListening gate = new AfterListening();
        gate.open();
        gate.run(() -> gate.track(new CompletableFuture<>())); // a later plugin change: never completes here
        gate.settled().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
