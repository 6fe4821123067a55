package org.classtop.api;

/**
 * Receives events matching the pattern it was declared with ({@code listen("cctv.*").to(..)}).
 * Called off the I/O threads, one event at a time per listener; an exception is logged and the
 * event is not retried.
 */
public interface EventListener {
    void onEvent(Event event) throws Exception;
}
