package org.classtop.api.server;

import org.classtop.api.Event;
import org.classtop.api.EventListener;
import org.classtop.api.Registration;

/** Publishes events to the listeners of every plugin and to browsers watching. */
public interface Events {
    void publish(Event event);

    /**
     * Delivers the events matching {@code pattern} (an exact name, {@code prefix.*} or {@code *}, as
     * {@code listen()}) to {@code listener} until the registration is closed or the plugin stops; the
     * runtime counterpart of {@code listen(pattern).to(..)}. (A default method, so that a test may still
     * fake {@code Events} with a lambda for {@link #publish}.)
     */
    default Registration subscribe(String pattern, EventListener listener) {
        throw new UnsupportedOperationException("This Events implementation cannot subscribe.");
    }
}
