package org.classtop.api;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Helpers for the failures of {@link java.util.concurrent.CompletionStage}s. */
public final class Failures {
    private Failures() {
    }

    /**
     * The failure itself, without the {@link CompletionException} or {@link ExecutionException} wrappers a
     * stage adds around it (a continuation sees {@code CompletionException(ApiException)}; this gives the
     * {@code ApiException}).
     */
    public static Throwable unwrap(Throwable failure) {
        Throwable current = failure;
        while ((current instanceof CompletionException || current instanceof ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
