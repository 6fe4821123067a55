package org.classtop.api.server;

import org.classtop.api.Event;

/** Publishes events to the listeners of every plugin and to browsers watching. */
public interface Events {
    void publish(Event event);
}
